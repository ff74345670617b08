// The peer's FIN is activity for the idle timeout: a half-open client whose idle timeout
// (40 ms) has fired once gets it again one period after the FIN arrives (Node refreshes
// the timer for every read, the one that finds the end included); then, with no more
// activity, none.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => {
  s.on('data', () => {});
  // The FIN comes 100 ms after the client's first timeout.
  server.once('go', () => setTimeout(() => s.end(), 100));
  s.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect({ port: server.address().port, host: '127.0.0.1', allowHalfOpen: true });
  c.setTimeout(40);
  let n = 0;
  let endAt = 0;
  c.on('end', () => {
    endAt = Date.now();
    out('end', c.readyState);
  });
  c.on('timeout', () => {
    n++;
    if (n === 1) {
      out('timeout 1', c.readyState);
      server.emit('go');
    } else {
      // One period after the FIN, give or take the timer's granularity.
      const after = Date.now() - endAt;
      out('timeout', n, c.readyState, after >= 30 && after < 90);
      setTimeout(() => c.end(), 150);
    }
  });
  c.on('close', (h) => out('close', h, 'timeouts', n));
});
