// The idle timeout of a connect that hangs (test-net-connect-timeout; run in a network
// namespace of its own, where SYNs to port 4000 are dropped): setTimeout(100) fires once,
// 100-600 ms in, with the socket still connecting; a destroy in its handler closes it
// without error: no connect, no error, no failed attempt.
const net = require('net');
const { out } = require('./_lib');

const port = 4000;
const t0 = Date.now();
const c = net.connect(port, '127.0.0.1');
c.setTimeout(100);
c.on('connectionAttempt', (a, p, f) => out('attempt', a, p === port, f));
c.on('connectionAttemptFailed', (a, p, f, e) => out('failed', e.code));
c.on('connect', () => out('connect'));
c.on('error', (e) => out('error', e.code));
let n = 0;
c.on('timeout', () => {
  const ms = Date.now() - t0;
  out('timeout', ++n, c.connecting, c.readyState, 'in 100-600 ms', ms >= 95 && ms < 600);
  c.destroy();
  out('destroyed', c.destroyed, c.connecting, c.readyState);
});
c.on('close', (h) => out('close', h, c.connecting));
