// The `readable` event and unshift(). Each part is one connection; the server's writes
// are 20 ms apart, so each arrives as a read of its own.
// A: a `readable` listener reading everything with read() (its chunks also go to `data`);
//    the end brings a last `readable`, whose read() returns null, then `end`.
// B: read(n) for more than is buffered returns null until enough came; after the end it
//    returns what is left.
// C: once('readable') on a socket with a `data` listener: after it, the socket flows again.
// D: unshift() puts bytes back in front; a flowing socket emits them at once.
// E: a paused socket: read(n) for exactly what was left at the end brings no `end`
//    (read() past the end would).
// F: a `readable` listener removed with off(): the `data` listener takes over on the next
//    tick; readableFlowing before and after.
// G: unshift() of a string while decoding: kept in the socket's encoding (hex: the
//    string's UTF-8 bytes in hex; UTF-8: as it is).
const { out } = require('./_lib');
const { runParts } = require('./_parts');

const parts = {
  A: (c) => {
    c.on('readable', () => {
      out('A readable', c.readableLength, c.readableFlowing);
      process.nextTick(() => out('A tick'));
      let d;
      while ((d = c.read()) !== null) out('A read', d);
      out('A read null', c.readableLength);
    });
    c.on('data', (d) => out('A data', d));
  },
  B: (c) => {
    c.on('readable', () => {
      out('B readable', c.readableLength);
      let d;
      while ((d = c.read(4)) !== null) out('B read', d);
      out('B null', c.readableLength);
    });
  },
  C: (c) => {
    c.on('data', (d) => out('C data', d));
    c.once('readable', () => {
      out('C readable', c.readableFlowing, c.listenerCount('readable'));
      process.nextTick(() => out('C tick', c.readableFlowing));
    });
  },
  D: (c) => {
    let first = true;
    c.on('readable', () => {
      const d = c.read();
      out('D read', d);
      if (d !== null && first) {
        first = false;
        out('D unshift', c.unshift(d.subarray(2)), c.readableLength);
        out('D read again', c.read(1), c.readableLength);
      }
    });
    c.on('end', () => {
      out('D unshift after end');
      out('D ret', c.unshift(Buffer.from('zz')));
    });
  },
  E: (c) => {
    c.pause();
    c.on('data', (d) => out('E data', d));
    setTimeout(() => {
      out('E read', c.read(100));
      setTimeout(() => {
        out('E len', c.readableLength, c.readableEnded);
        out('E read 5', c.read(5));
        out('E read exact', c.read(6));
        setTimeout(() => {
          out('E after', c.readableEnded, c.readableLength);
          c.destroy();
        }, 20);
      }, 90);
    }, 10);
  },
  F: (c) => {
    const f = () => {
      out('F readable', c.read());
    };
    c.on('readable', f);
    c.on('data', (d) => out('F data', d));
    setTimeout(() => {
      out('F off', c.readableFlowing);
      c.off('readable', f);
      out('F flowing', c.readableFlowing);
      process.nextTick(() => out('F tick', c.readableFlowing));
    }, 30);
  },
  G: (c) => {
    c.setEncoding('hex');
    c.pause();
    setTimeout(() => {
      out('G unshift', c.unshift('abc'), c.readableLength);
      out('G read', c.read());
      c.setEncoding('utf8');
      out('G unshift', c.unshift('é'), c.readableLength);
      out('G read', c.read());
      c.destroy();
    }, 10);
  },
};

runParts(parts);
