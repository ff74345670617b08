// Destinations with no route (run in a network namespace of its own, with loopback only):
// the connect call itself fails, so the socket is destroyed at once with no failed attempt
// and the message names the local side (ENETUNREACH for an IPv4 address off loopback, a
// broadcast or a multicast one; EINVAL for a link-local IPv6 address with no interface);
// the any-address goes to loopback and is refused on the loop, as a failed attempt.
const net = require('net');
const { out } = require('./_lib');

const hosts = ['10.1.2.3', '255.255.255.255', '224.0.0.1', 'fe80::1', '0.0.0.0', '::'];
(function next(i) {
  if (i === hosts.length) return;
  const host = hosts[i];
  const c = net.connect(80, host);
  c.on('connectionAttempt', (a, p, f) => out(host, 'attempt', a, p, f));
  c.on('connectionAttemptFailed', (a, p, f, e) => out(host, 'failed', e.code));
  c.on('connect', () => out(host, 'connect'));
  c.on('error', (e) => out(host, 'error', e.code, e.errno, e.syscall, e.address, e.port, e.message));
  c.on('close', (h) => {
    out(host, 'close', h);
    next(i + 1);
  });
})(0);
