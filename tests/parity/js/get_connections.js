// getConnections counts accepted sockets not yet destroyed, answering on next tick.
const net = require('net');
const { out } = require('./_lib');

let n = 0;
const server = net.createServer((s) => {
  n++;
  out('connection', n);
  server.getConnections((err, count) => out('getConnections', err, count));
  if (n === 2) {
    s.destroy();
    server.getConnections((err, count) => out('after destroy getConnections', err, count));
    setTimeout(() => {
      for (const c of clients) c.destroy();
      server.close(() => out('server close'));
    }, 20);
  }
});
const clients = [];
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const a = net.connect(port, '127.0.0.1', () => {
    const b = net.connect(port, '127.0.0.1');
    clients.push(b);
  });
  clients.push(a);
});
