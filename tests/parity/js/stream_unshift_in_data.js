// Ports of Node's test-stream-readable-add-chunk-during-data, test-stream-readable-unshift
// (its last part) and test-stream-unshift-empty-chunk, on sockets. Each part is one
// connection; the server writes `hello`, `world!` 20 ms later, and ends at 60 ms, so each
// write arrives as a read of its own.
// A: a once('data') listener unshifts the chunk it got (buffered: no `data` listener is
//    left), then adds a `data` listener: the chunk comes again on the next tick.
// B: a once('readable') listener reads the first chunk, unshifts `a`, and adds a `data`
//    listener: `a` flows first.
// C: a `readable` listener reading until null, unshifting five bytes after each chunk of
//    the server's and an empty chunk after each of its own: each unshifted chunk is read
//    back in the same loop, the empty ones change nothing.
// D: (test-stream-unshift-read-race) a `readable` listener reading read(4) until null and
//    unshifting `12` after each read of more than two bytes, up to after the end of data:
//    read(4) returns what is left (3 bytes) once the FIN came, the unshift after it is
//    still read, and `end` waits for it.
const { out } = require('./_lib');
const { runParts } = require('./_parts');

const parts = {
  A: (c) => {
    c.once('data', (d) => {
      out('A once data', d, c.readableLength);
      out('A unshift', c.unshift(d), c.readableLength, c.readableFlowing);
      c.on('data', (e) => out('A data', e, c.readableLength));
      process.nextTick(() => out('A tick', c.readableLength));
    });
  },
  B: (c) => {
    c.once('readable', () => {
      out('B read', c.read());
      out('B unshift', c.unshift('a'), c.readableLength, c.readableFlowing);
      c.on('data', (d) => out('B data', d));
      out('B data on', c.readableFlowing);
    });
  },
  C: (c) => {
    let mine = false;
    c.on('readable', () => {
      out('C readable', c.readableLength);
      let d;
      while ((d = c.read()) !== null) {
        out('C read', d);
        out('C unshift', c.unshift(Buffer.alloc(mine ? 0 : 5, 'y')), c.readableLength);
        mine = !mine;
      }
      out('C null', c.readableLength);
    });
  },
  D: (c) => {
    c.on('readable', () => {
      out('D readable', c.readableLength);
      let d;
      while ((d = c.read(4)) !== null) {
        out('D read', d.toString());
        if (d.length > 2) out('D unshift', c.unshift('12'), c.readableLength);
      }
      out('D null', c.readableLength, c.readableEnded);
    });
  },
};

runParts(parts);
