// resetAndDestroy() while connecting waits for the connection, then resets it from a connect
// listener (later connect listeners still run); the server's socket gets ECONNRESET (read)
// and close(true). On a socket that never connects it destroys with ERR_SOCKET_CLOSED:
// error, then close(true).
const net = require('net');
const { out, note } = require('./_lib');
const { serve, code } = require('./_s3');

const lone = new net.Socket();
lone.on('error', (e) => out('lone error', code(e), e.message));
lone.on('close', () => out('lone close'));
out('lone resetAndDestroy returns this', lone.resetAndDestroy() === lone, lone.destroyed);

serve({}, (s) => {
  s.on('error', (e) => note('srvSock', 'error', code(e), e.syscall));
  s.on('close', (e) => note('srvSock', 'close', e));
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  c.resetAndDestroy();
  note('client', 'after resetAndDestroy()', c.destroyed, c.connecting, c.readyState);
  c.on('connect', () => note('client', 'connect'));
  c.on('error', (e) => note('client', 'error', code(e)));
  c.on('close', (e) => {
    note('client', 'close', e, c.destroyed);
    server.close();
  });
});
