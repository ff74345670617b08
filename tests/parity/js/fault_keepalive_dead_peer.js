// Keep-alive finds a peer that vanished while the connection was idle (run in a network
// namespace of its own): setKeepAlive(true, 1000) and, once connected, nft drops every
// packet to the server's port. With Node 24's probe settings (1 s idle, then 10 probes
// 1 s apart) the kernel gives up after about 11 s: `read ETIMEDOUT`, then close(true).
const net = require('net');
const { execFileSync } = require('child_process');
const { out, note } = require('./_lib');

const t0 = Date.now();
let accepted = null;
const server = net.createServer((s) => {
  accepted = s;
});
server.listen(5000, '127.0.0.1', () => {
  const c = net.connect(5000, '127.0.0.1');
  c.setKeepAlive(true, 1000);
  c.on('connect', () => {
    out('connect');
    execFileSync('nft', ['-f', '-'], {
      input: 'table inet f {\n chain out {\n type filter hook output priority 0;\n tcp dport 5000 drop\n }\n}\n',
    });
  });
  c.on('error', (e) => {
    const s = (Date.now() - t0) / 1000;
    out('error', e.code, e.errno, e.syscall, e.message);
    out('after 9-14 s', s >= 9 && s < 14);
  });
  c.on('close', (h) => {
    out('close', h);
    if (accepted) accepted.destroy();
    server.close(() => note('server', 'close'));
  });
});
