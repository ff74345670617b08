// server.close() returns the server and stops accepting, but close comes only once every
// accepted socket is gone: with two open connections, destroyed 20 ms apart by their
// clients, the server's close comes as the second accepted socket is destroyed, on next
// tick, ahead of that socket's own close (which waits for its handle's close). Then
// maxConnections = 0 drops every connection: a drop event with both ends' addresses and
// ports, no connection event; the client sees connect, then an orderly end and close.
const net = require('net');
const { out, note } = require('./_lib');

const server = net.createServer();
let closedSockets = 0;
let accepted = 0;
const clients = [];
server.on('connection', (s) => {
  const n = ++accepted;
  out('connection', n);
  s.on('close', () => {
    closedSockets++;
    out('accepted socket close', closedSockets);
  });
  if (n === 2) {
    out('close returns server', server.close() === server, server.listening);
    setTimeout(() => clients[0].destroy(), 20);
    setTimeout(() => clients[1].destroy(), 40);
  }
});
server.on('close', () => {
  out('server close', closedSockets);
  dropAll();
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const a = net.connect(port, '127.0.0.1', () => {
    clients.push(a);
    const b = net.connect(port, '127.0.0.1', () => clients.push(b));
  });
});

function dropAll() {
  const z = net.createServer(() => out('z connection'));
  z.maxConnections = 0;
  z.listen(0, '127.0.0.1', () => {
    const port = z.address().port;
    const c = net.connect(port, '127.0.0.1');
    z.on('drop', (d) => {
      out('drop', d.localAddress, d.localPort === port, d.remoteAddress, d.remoteFamily,
        typeof d.remotePort);
      z.close();
    });
    c.on('connect', () => note('client', 'connect'));
    c.on('end', () => note('client', 'end'));
    c.on('close', (h) => note('client', 'close', h));
  });
}
