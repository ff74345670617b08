// resetAndDestroy(): the peer gets ECONNRESET (read) then close(true); the local socket
// closes with close(false) and no error.
const net = require('net');
const { note } = require('./_lib');

const server = net.createServer((s) => {
  s.on('end', () => note('srvSock', 'end'));
  s.on('error', (e) => note('srvSock', 'error', e.code, e.syscall, e.message));
  s.on('close', (e) => {
    note('srvSock', 'close', e);
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => {
    setTimeout(() => {
      c.resetAndDestroy();
      note('client', 'after resetAndDestroy()', c.destroyed, c.readyState);
    }, 20);
  });
  c.on('error', (e) => note('client', 'error', e.code));
  c.on('close', (e) => note('client', 'close', e));
});
