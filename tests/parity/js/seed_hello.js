// The seed's first server (`hello` on every connection, the socket never read), with a
// client that connects and ends: the unread server socket still sees the FIN and closes.
const net = require('net');
const { out, note } = require('./_lib');

const server = net.createServer();
server.on('connection', function () {
  out('hello');
});
server.on('close', () => out('server close'));
server.on('listening', () => {
  out('listening');
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => {
    note('client', 'connect');
    c.end();
  });
  c.on('end', () => note('client', 'end'));
  c.on('finish', () => note('client', 'finish'));
  c.on('close', (e) => {
    note('client', 'close', e);
    server.close();
  });
});
server.listen(0, '127.0.0.1');
