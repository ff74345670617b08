// A peer that vanishes with data in flight (run in a network namespace of its own, with
// tcp_retries2=3): once connected, nft drops every packet to the server's port, and the
// client writes 100 bytes. The write's callback succeeds (the kernel took the bytes); the
// retransmissions go unanswered until the kernel gives up after about 3 s, which Node
// reports as `read ETIMEDOUT`, then close(true).
const net = require('net');
const { execFileSync } = require('child_process');
const { out, note } = require('./_lib');

const port = 5000;
const t0 = Date.now();
let accepted = null;
const server = net.createServer((s) => {
  accepted = s;
  s.on('data', (d) => note('server', 'data', d.length));
  s.on('close', (h) => note('server', 'socket close', h));
});
server.listen(port, '127.0.0.1', () => {
  const c = net.connect(port, '127.0.0.1');
  c.on('connect', () => {
    out('connect');
    execFileSync('nft', ['-f', '-'], {
      input: 'table inet f {\n chain out {\n type filter hook output priority 0;\n tcp dport 5000 drop\n }\n}\n',
    });
    c.write('x'.repeat(100), (e) => out('write callback', e ? e.code : null));
  });
  c.on('error', (e) => {
    const s = (Date.now() - t0) / 1000;
    out('error', e.code, e.errno, e.syscall, e.message);
    out('after 2-6 s', s >= 2 && s < 6);
  });
  c.on('close', (h) => {
    out('close', h);
    if (accepted) accepted.destroy();
    server.close(() => note('server', 'close'));
  });
});
