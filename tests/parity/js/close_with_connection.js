// server.close() while a connection is open: no new connections (ECONNREFUSED), close comes
// once the accepted socket is destroyed; getConnections counts it meanwhile.
const net = require('net');
const { out, note } = require('./_lib');

const server = net.createServer((s) => {
  out('server connection');
  server.close((err) => out('close callback', err));
  out('after close()', server.listening, server.address());
  server.getConnections((err, n) => out('getConnections', err, n));
  s.on('end', () => note('srvSock', 'end'));
  s.on('finish', () => note('srvSock', 'finish'));
  s.on('close', (e) => note('srvSock', 'close', e));
  setTimeout(() => {
    const late = net.connect(port, '127.0.0.1');
    late.on('error', (e) => out('late client error', e.code));
    late.on('close', () => {
      out('ending srvSock');
      s.end();
    });
  }, 20);
});
server.on('close', () => out('server close'));
let port;
server.listen(0, '127.0.0.1', () => {
  port = server.address().port;
  const c = net.connect(port, '127.0.0.1');
  c.on('connect', () => note('client', 'connect'));
  c.on('end', () => note('client', 'end'));
  c.on('finish', () => note('client', 'finish'));
  c.on('close', (e) => note('client', 'close', e));
});
