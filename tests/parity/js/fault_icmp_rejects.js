// Connects refused by the network rather than by the host's TCP (run in a network
// namespace of its own, where nft answers SYNs to four ports): ICMP host-unreachable,
// net-unreachable and admin-prohibited, and a TCP reset. Each fails on the loop, as a
// failed attempt with the code the kernel gives (EHOSTUNREACH, ENETUNREACH, EHOSTUNREACH,
// ECONNREFUSED), then the error and close(true).
const net = require('net');
const { out } = require('./_lib');

const ports = [6001, 6002, 6003, 6004];
(function next(i) {
  if (i === ports.length) return;
  const p = ports[i];
  const c = net.connect(p, '127.0.0.1');
  c.on('connectionAttemptFailed', (a, pp, f, e) => out(p, 'failed', a, pp === p, f, e.code));
  c.on('error', (e) => out(p, 'error', e.code, e.errno, e.syscall, e.address, e.port === p, e.message));
  c.on('close', (h) => {
    out(p, 'close', h);
    next(i + 1);
  });
})(0);
