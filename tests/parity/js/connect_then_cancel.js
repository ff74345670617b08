// Ending or destroying a socket while its host name is being looked up: end() right after
// connect() to a name that does not resolve still gets the lookup's error (ENOTFOUND,
// getaddrinfo) and close(true); destroy() right after connect() to a name that resolves
// gives close(false) and nothing else: no lookup event (happy eyeballs on, the default),
// no attempt, no connect, no error. (With autoSelectFamily off, see lookup_after_destroy.)
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => s.end());
server.listen(0, () => {
  const port = server.address().port;
  const a = net.connect(port, 'nodenet-parity.invalid');
  a.end();
  a.on('lookup', (e) => out('a lookup', e && e.code));
  a.on('error', (e) => out('a error', e.code, e.syscall, e.hostname));
  a.on('close', (h) => {
    out('a close', h);
    const b = net.connect(port, 'localhost');
    b.destroy();
    b.on('lookup', () => out('b lookup'));
    b.on('connectionAttempt', () => out('b attempt'));
    b.on('connect', () => out('b connect'));
    b.on('error', (e) => out('b error', e.code));
    b.on('close', (h) => {
      out('b close', h);
      setTimeout(() => server.close(), 100);
    });
  });
});
