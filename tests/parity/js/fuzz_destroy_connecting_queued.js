// Found by the differential test (fuzz_socket): writes queued while connecting, then a
// destroy. The writes stay counted in writableLength at `close`; after it the first one
// (here without a callback) fails with ERR_SOCKET_CLOSED_BEFORE_CONNECTION and the ones
// behind it with the destroy's error, or with that same code when the destroy has none.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => s.resume());
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const client = (name, err, then) => {
    const c = net.connect(port, '127.0.0.1');
    c.on('error', (e) => out(name, 'error', e.code, 'length', c.writableLength));
    c.on('close', (h) => {
      out(name, 'close', h, 'length', c.writableLength);
      process.nextTick(() => out(name, 'after close: length', c.writableLength));
      setTimeout(then, 10);
    });
    out(name, 'write a', c.write('aaa'));
    out(name, 'write b', c.write('bb', (e) => out(name, 'cb b', e && e.code)));
    out(name, 'write c', c.write('c', (e) => out(name, 'cb c', e && e.code)));
    if (err) {
      const e = new Error('boom');
      e.code = 'ERR_TEST';
      c.destroy(e);
    } else {
      c.destroy();
    }
    out(name, 'destroyed: length', c.writableLength);
  };
  client('plain', false, () => client('with error', true, () => server.close()));
});
