// Node's readableDidRead: false until a `data` event is emitted (or read() returns data,
// which emits one): with a `data` listener, with resume() and no listener (the chunks are
// emitted to nobody), with a `readable` listener reading, with a decoder; false on a
// paused socket that never read, and after read(0) (which returns null).
const { out } = require('./_lib');
const { runParts } = require('./_parts');

function watch(name, c) {
  c.on('connect', () => out(name, 'connect', c.readableDidRead));
  c.on('end', () => out(name, 'at end', c.readableDidRead));
  c.on('close', () => out(name, 'at close', c.readableDidRead));
}

runParts({
  A: (c) => {
    watch('A', c);
    c.once('data', () => out('A', 'in data', c.readableDidRead));
  },
  B: (c) => {
    watch('B', c);
    c.pause();
    setTimeout(() => {
      out('B', 'paused, unread', c.readableDidRead, c.readableLength);
      c.destroy();
    }, 80);
  },
  C: (c) => {
    watch('C', c);
    let first = true;
    c.on('readable', () => {
      if (first) {
        first = false;
        out('C', 'readable', c.readableDidRead);
        c.read(0);
        out('C', 'after read(0)', c.readableDidRead);
      }
      while (c.read() !== null);
      out('C', 'after read()', c.readableDidRead);
    });
  },
  D: (c) => {
    watch('D', c);
    c.resume();
  },
  E: (c) => {
    watch('E', c);
    c.setEncoding('utf8');
    c.on('data', () => {});
  },
});
