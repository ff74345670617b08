// Found by the differential test (fuzz_socket): end() on a corked socket whose writes
// passed the highWaterMark sends them (it uncorks first), and no `drain` follows: the
// writes complete inside end(), and by the time their completion is handled the socket
// is ending, which rules a drain out. The write callbacks, `finish` and the end callback
// come as usual.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => s.resume());
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => {
    c.cork();
    out('write small', c.write('x', () => out('cb small')));
    out('write big', c.write(Buffer.alloc(70000, 'x'), () => out('cb big')));
    out('needDrain', c.writableNeedDrain, 'length', c.writableLength);
    c.end(() => out('end cb'));
    out('after end: needDrain', c.writableNeedDrain, 'length', c.writableLength);
  });
  c.on('drain', () => out('drain'));
  c.on('finish', () => out('finish'));
  c.on('close', (h) => {
    out('close', h);
    server.close();
  });
});
