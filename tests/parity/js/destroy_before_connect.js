// destroy() while connecting: no connect, no error; close(false) in the close phase; writes
// queued meanwhile fail after the close listeners, the first with
// ERR_SOCKET_CLOSED_BEFORE_CONNECTION, the next with the destroy error if there is one.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer(() => out('server connection'));
const attempt = (name, err, then) => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => out(name, 'connect'));
  c.on('error', (e) => out(name, 'error', e.code || e.message));
  c.on('close', (e) => {
    out(name, 'close', e, c.destroyed);
    setTimeout(then, 20);
  });
  c.write('x', (e) => out(name, 'write cb 1', e && (e.code || e.message)));
  c.write('y', (e) => out(name, 'write cb 2', e && (e.code || e.message)));
  c.destroy(err);
  out(name, 'after destroy()', c.destroyed, c.connecting, c.readyState);
  process.nextTick(() => out(name, 'next tick'));
  setImmediate(() => out(name, 'immediate'));
};
server.listen(0, '127.0.0.1', () => {
  attempt('plain', undefined, () => attempt('err', new Error('boom'), () => server.close()));
});
