// listen() on a host name that does not resolve emits the lookup's error (getaddrinfo
// ENOTFOUND, the hostname) and never listens; on an IPv6 link-local address with no zone
// (fe80::1), the bind's error with syscall listen and that address
// (test-net-server-listen-ipv6-link-local).
const net = require('net');
const { out } = require('./_lib');

function fields(e) {
  return [e.code, e.errno, e.syscall, e.hostname, e.address, e.port, e.message];
}

const named = net.createServer();
named.on('listening', () => out('named listening'));
named.on('close', () => out('named close'));
named.on('error', (e) => {
  out('named error', ...fields(e));
  out('named listening', named.listening, named.address());
  const ll = net.createServer();
  ll.on('listening', () => out('link-local listening'));
  ll.on('close', () => out('link-local close'));
  ll.on('error', (e) => {
    out('link-local error', ...fields(e));
    out('link-local listening', ll.listening, ll.address());
  });
  ll.listen(0, 'fe80::1');
});
named.listen(0, 'nodenet-test.invalid');
