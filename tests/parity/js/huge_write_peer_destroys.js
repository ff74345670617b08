// A server closes itself on its first connection and writes 64 MiB to it in one call,
// while the client destroys its socket as soon as it connects: the write is queued
// (write() returns false), then fails with one error (ECONNRESET or EPIPE, as the
// kernel's timing has it) and close(true); nothing is left and the process exits
// (test-net-GH-5504).
const net = require('net');
const { note } = require('./_lib');

const big = Buffer.alloc(64 << 20, 35);
const server = net.createServer((s) => {
  server.close(() => note('server', 'close'));
  let errors = 0;
  s.on('error', (e) => {
    errors++;
    note('srvSock', 'error', ['ECONNRESET', 'EPIPE'].includes(e.code));
  });
  s.on('close', (h) => note('srvSock', 'close', h, 'errors', errors));
  note('srvSock', 'write returned', s.write(big));
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.destroy();
    note('client', 'destroyed on connect', c.destroyed);
  });
  c.on('close', (h) => note('client', 'close', h));
});
