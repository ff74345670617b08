// Ports of test-stream-writable-needdrain-state and test-stream-write-drain (writable
// side): writableNeedDrain on a client with highWaterMark 16. A 20-byte write made while
// connecting returns false and sets it; the connect sends it, and `drain` (it false
// again) comes before the write's callback. An end() after such a write clears it at once
// (Node reads it as false once ending) and no `drain` follows; so does a destroy(). A
// corked 20-byte write sets it too; the uncork hands it to the kernel, and it stays set
// until the write's completion tick emits `drain`; a second 20-byte write the kernel takes
// inside the call, before that tick, returns true, and the one tick emits one `drain`.
const net = require('net');
const { out } = require('./_lib');
const { serve, code } = require('./_s3');

const big = () => Buffer.alloc(20, 120);

serve({}, (s) => s.resume(), (server, port) => {
  const open = (name, next) => {
    const c = net.connect({ port, host: '127.0.0.1', highWaterMark: 16 });
    c.on('drain', () => out(name, 'drain', c.writableNeedDrain, c.writableLength));
    c.on('finish', () => out(name, 'finish', c.writableNeedDrain));
    c.on('close', () => {
      out(name, 'close', c.writableNeedDrain);
      next();
    });
    return c;
  };
  const a = open('a', () => {
    const b = open('b', () => {
      const d = open('d', () => {
        const e = open('e', () => {
          const f = open('f', () => server.close());
          f.on('connect', () => {
            f.cork();
            out('f corked write', f.write(big(), (err) => out('f cb 1', code(err))));
            f.uncork();
            out('f write', f.write(big(), (err) => {
              out('f cb 2', code(err), f.writableNeedDrain);
              f.end();
            }), f.writableNeedDrain, f.writableLength);
            process.nextTick(() => out('f tick', f.writableNeedDrain));
          });
        });
        e.on('connect', () => {
          e.cork();
          out('e corked write', e.write(big(), (err) => {
            out('e cb', code(err), e.writableNeedDrain);
            e.end();
          }), e.writableNeedDrain, e.writableLength);
          e.uncork();
          out('e uncorked', e.writableNeedDrain, e.writableLength);
          process.nextTick(() => out('e tick', e.writableNeedDrain));
        });
      });
      out('d fresh', d.writableNeedDrain);
      out('d write', d.write(big(), (err) => out('d cb', code(err))), d.writableNeedDrain);
      d.destroy();
      out('d destroyed', d.writableNeedDrain, d.writableLength);
    });
    out('b write', b.write(big(), (err) => out('b cb', code(err), b.writableNeedDrain)),
      b.writableNeedDrain);
    b.end();
    out('b ended', b.writableNeedDrain, b.writableLength);
  });
  out('a fresh', a.writableNeedDrain);
  out('a write', a.write(big(), (err) => {
    out('a cb', code(err), a.writableNeedDrain);
    a.end();
  }), a.writableNeedDrain, a.writableLength);
  out('a small write', a.write('y'), a.writableNeedDrain, a.writableLength);
});
