'use strict';
// Shared start-up for the Node 24 side of the benchmark harness
// (benches/compare.rs). Every mode listens on 127.0.0.1:PORT (PORT may be 0)
// and prints `listening PORT` with the real port once it accepts.
const net = require('node:net');

function serve(onConnection) {
  const port = Number(process.argv[2] ?? 0);
  // noDelay on every accepted socket, as the Rust servers do, so that no
  // cell measures Nagle's algorithm instead of the server.
  const server = net.createServer({ noDelay: true }, (socket) => {
    socket.on('error', () => {});
    onConnection(socket);
  });
  server.on('error', (err) => {
    console.error(err);
    process.exit(1);
  });
  server.listen(port, '127.0.0.1', () => {
    console.log(`listening ${server.address().port}`);
  });
  return server;
}

module.exports = { serve };
