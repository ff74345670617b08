// Ports of Node's test-stream-readable-readable-then-resume, -data, -pause-and-resume (its
// second part), -emittedReadable and -needReadable, on sockets. Each part is one
// connection; the server writes `hello`, `world!` 20 ms later, and ends at 60 ms, so each
// write arrives as a read of its own.
// A: a `readable` listener added and removed, then resume() in the same tick: the socket
//    flows from the resume's tick (readableFlowing false until then), every chunk as data.
// B: setEncoding, a `readable` listener added and removed, then pause() (no `pause` event:
//    the listener had set readableFlowing false): isPaused() still true on the next tick,
//    but that tick sets readableFlowing back to null, so a `data` listener added later
//    (45 ms, both chunks buffered) makes the socket flow.
// C: a `readable` listener added and removed, then a `data` listener on the next tick:
//    the socket flows.
// D: a `readable` listener that never reads: one `readable` per chunk and one at the end
//    of data, no `end` until a read() 40 ms after the FIN takes everything.
// E: a `readable` listener that only calls read(0): the same, with the state read(0)
//    leaves; a read() at the end brings `end`.
const { out } = require('./_lib');
const { runParts } = require('./_parts');

const parts = {
  A: (c) => {
    const f = () => out('A readable');
    c.on('readable', f);
    c.on('data', (d) => out('A data', d));
    c.removeListener('readable', f);
    out('A off', c.readableFlowing, c.isPaused());
    c.resume();
    out('A resumed', c.readableFlowing, c.isPaused());
    c.on('resume', () => out('A resume event', c.readableFlowing));
    process.nextTick(() => out('A tick', c.readableFlowing, c.isPaused()));
  },
  B: (c) => {
    c.setEncoding('utf8');
    const f = () => out('B readable');
    c.on('readable', f);
    c.removeListener('readable', f);
    c.on('pause', () => out('B pause event'));
    c.on('resume', () => out('B resume event'));
    c.pause();
    out('B paused', c.readableFlowing, c.isPaused());
    process.nextTick(() => out('B tick', c.readableFlowing, c.isPaused()));
    setTimeout(() => {
      c.on('data', (d) => out('B data', d));
      out('B data on', c.readableFlowing, c.isPaused(), c.readableLength);
      setTimeout(() => {
        out('B resume', c.readableLength);
        c.resume();
      }, 10);
    }, 45);
  },
  C: (c) => {
    const f = () => out('C readable');
    c.on('readable', f);
    c.removeListener('readable', f);
    out('C off', c.readableFlowing);
    process.nextTick(() => {
      out('C tick', c.readableFlowing);
      c.on('data', (d) => out('C data', d));
      out('C data on', c.readableFlowing);
    });
  },
  D: (c) => {
    c.on('readable', () => out('D readable', c.readableLength, c.readableFlowing));
    c.on('data', (d) => out('D data', d));
    setTimeout(() => {
      out('D late', c.readableLength, c.readableEnded);
      out('D read', c.read());
      out('D read again', c.read());
    }, 100);
  },
  E: (c) => {
    let n = 0;
    c.on('readable', () => {
      n += 1;
      out('E readable', c.readableLength, c.read(0), c.readableLength);
      if (n > 8) c.destroy();
    });
    setTimeout(() => {
      out('E late', c.readableLength, c.readableEnded);
      out('E read', c.read());
    }, 100);
  },
};

runParts(parts);
