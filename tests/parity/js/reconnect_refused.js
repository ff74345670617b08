// A socket refused, then connected again (port only) from its close listener, twenty
// times: each round is error ECONNREFUSED then close(true), on the same socket with the
// same listeners, and it connects again at once (test-net-reconnect-error).
const net = require('net');
const { out, REFUSED_PORT } = require('./_lib');

const N = 20;
let n = 0;
const c = net.connect(REFUSED_PORT);
c.on('connect', () => out('connect'));
c.on('error', (e) => {
  const first = Array.isArray(e.errors) ? e.errors[0] : e;
  out(n, 'error', first.code, first.port === REFUSED_PORT, c.connecting, c.destroyed);
});
c.on('close', (h) => {
  out(n, 'close', h);
  if (n++ < N) {
    c.connect(REFUSED_PORT);
    out(n, 'connect() again', c.connecting, c.destroyed, c.readyState);
  }
});
