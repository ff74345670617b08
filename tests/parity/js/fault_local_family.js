// Local addresses of the other family, and lookups on a host with loopback only (run in a
// network namespace of its own). A local address that is not of the destination's family
// fails the bind with EINVAL, before any attempt (an IPv4-mapped one is IPv6). A lookup
// for family 4 or 6 does not ask for the families the host has addresses of (Node adds
// ADDRCONFIG only when both are wanted), so `localhost` resolves for family 4 here; for
// family 6 the resolver's own answer (here no IPv6 name in the hosts file, and no name
// server to ask) comes through as Node's error.
const net = require('net');
const { out } = require('./_lib');

const cases = [
  ['v4 to v6 local', { host: '127.0.0.1', localAddress: '::1' }],
  ['v6 to v4 local', { host: '::1', localAddress: '127.0.0.1' }],
  ['v4 to mapped local', { host: '127.0.0.1', localAddress: '::ffff:127.0.0.1' }],
  ['localhost family 4, v6 local', { host: 'localhost', family: 4, localAddress: '::1' }],
  ['localhost family 6, v4 local', { host: 'localhost', family: 6, localAddress: '127.0.0.1' }],
  ['v4 with family 6', { host: '127.0.0.1', family: 6 }],
  ['mapped', { host: '::ffff:127.0.0.1' }],
];

const server = net.createServer((c) => c.end());
server.listen(5000, '::', () => {
  (function next(i) {
    if (i === cases.length) {
      server.close();
      return;
    }
    const [name, o] = cases[i];
    const c = net.connect({ port: 5000, ...o });
    c.on('lookup', (e, a, f) => out(name, 'lookup', e ? e.code : null, a, f));
    c.on('connectionAttempt', (a, p, f) => out(name, 'attempt', a, f));
    c.on('connectionAttemptFailed', (a, p, f, e) => out(name, 'failed', a, e.code));
    c.on('connect', () => out(name, 'connect', c.localAddress, c.remoteAddress, c.remoteFamily));
    c.on('error', (e) => out(name, 'error', e.code, e.errno, e.syscall, e.address, e.port, e.message));
    c.on('close', (h) => {
      out(name, 'close', h);
      next(i + 1);
    });
    c.resume();
  })(0);
});
