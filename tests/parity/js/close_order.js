// Sockets destroyed in one callback get their close events last-destroyed first (libuv's
// closing list), then the server's close.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer();
server.on('close', () => out('server close'));
server.listen(0, '127.0.0.1', () => {
  const clients = [];
  let n = 0;
  for (const name of ['a', 'b', 'c']) {
    const c = net.connect(server.address().port, '127.0.0.1', () => {
      n++;
      if (n === 3) {
        for (const s of clients) s.destroy();
        server.close();
      }
    });
    c.on('close', () => out('close', name));
    clients.push(c);
  }
});
