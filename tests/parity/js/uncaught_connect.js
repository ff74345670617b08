// ECONNREFUSED with no error listener is an uncaught exception; close comes too late to run.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer();
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  server.close(() => {
    const c = net.connect(port, '127.0.0.1');
    c.on('close', () => out('close (never)'));
  });
});
