// destroySoon() after a write: end, finish, then close without waiting for the peer's FIN.
const net = require('net');
const { out, note } = require('./_lib');

const server = net.createServer((s) => {
  s.on('data', (d) => note('srvSock', 'data', d));
  s.on('end', () => note('srvSock', 'end'));
  s.on('close', (e) => {
    note('srvSock', 'close', e);
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => {
    c.write('abc');
    c.destroySoon();
    note('client', 'after destroySoon()', c.destroyed, c.readyState, c.bytesWritten);
  });
  c.on('finish', () => note('client', 'finish'));
  c.on('end', () => note('client', 'end'));
  c.on('close', (e) => note('client', 'close', e, c.destroyed));
});
