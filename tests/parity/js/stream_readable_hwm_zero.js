// Ports of Node's test-stream-readable-hwm-0, -hwm-0-async and -hwm-0-no-flow-data, on
// sockets: clients with highWaterMark 0. Each part is one connection; the server writes
// `hello`, `world!` 30 ms later, and ends at 70 ms, so each write arrives as a read of its
// own.
// A: a `readable` and a `data` listener, reads only from timers: a socket with
//    highWaterMark 0 stops reading the kernel once it holds a chunk, so a read() takes
//    `hello` alone (then reads again), a later one `world!`, and the end's `readable` and
//    a read() returning null bring `end`.
// B: flowing with a `data` listener: every chunk, then `end`.
// C: paused from the start: bytesRead stays at the first chunk while it is not read;
//    read(0) and read() each let it read on.
const { out } = require('./_lib');
const { runParts } = require('./_parts');

const parts = {
  A: (c) => {
    c.on('readable', () => out('A readable', c.readableLength, c.bytesRead));
    c.on('data', (d) => out('A data', d));
    out('A flowing', c.readableFlowing);
    setTimeout(() => {
      out('A read', c.read(), c.bytesRead);
      out('A read', c.read(), c.bytesRead);
    }, 50);
    setTimeout(() => {
      out('A read', c.read(), c.bytesRead);
      out('A read', c.read(), c.bytesRead);
    }, 100);
  },
  B: (c) => {
    c.on('data', (d) => out('B data', d, c.readableLength));
  },
  C: (c) => {
    c.pause();
    setTimeout(() => {
      out('C at 50', c.readableLength, c.bytesRead);
      out('C read 0', c.read(0), c.readableLength);
      setTimeout(() => {
        out('C after read 0', c.readableLength, c.bytesRead);
        out('C read', c.read(), c.readableLength);
        setTimeout(() => {
          out('C after read', c.readableLength, c.bytesRead, c.readableEnded);
          out('C read', c.read(), c.readableLength);
          c.resume();
        }, 40);
      }, 10);
    }, 50);
  },
};

runParts(parts, { worldAt: 30, endAt: 70, connect: { highWaterMark: 0 } });
