// A namespace whose loopback has no IPv6 (disable_ipv6): a connect to ::1 fails in the
// connect call itself with EADDRNOTAVAIL, its message naming the local side (:::0):
// - a plain connect: no failed attempt, the socket destroyed at once;
// - happy eyeballs over [::1, 127.0.0.1]: the ::1 attempt fails at once (a failed attempt
//   with the same error), and 127.0.0.1 connects.
const net = require('net');
const { out } = require('./_lib');

const port = 5000;
const server = net.createServer((s) => s.end('hi'));
server.listen(port, '127.0.0.1', () => {
  const d = net.connect({ port, host: '::1' });
  d.on('connectionAttempt', (ip, p, f) => out('plain attempt', ip, p === port, f));
  d.on('connectionAttemptFailed', (ip, p, f, e) => out('plain failed', ip, f, e.code));
  d.on('error', (e) => out('plain error', e.code, e.errno, e.syscall, e.address, e.port, e.message));
  d.on('close', (h) => {
    out('plain close', h);
    const lookup = (host, opts, cb) =>
      setImmediate(() => cb(null, [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }]));
    const c = net.connect({ port, host: 'example.test', lookup });
    c.on('connectionAttempt', (ip, p, f) => out('attempt', ip, p === port, f));
    c.on('connectionAttemptFailed', (ip, p, f, e) => out('failed', ip, f, e.code, e.syscall, e.message));
    c.on('connect', () => out('connect', c.remoteAddress, c.autoSelectFamilyAttemptedAddresses.join(',')));
    c.on('data', (b) => out('data', b));
    c.on('close', (h2) => {
      out('close', h2);
      server.close();
    });
  });
});
