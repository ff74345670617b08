// A connect given a port only goes to localhost: refused there, the error (or, where
// localhost has both loopbacks, the first error of the aggregate one) is ECONNREFUSED
// with that port and the loopback address, and the socket is no longer connecting by
// then (test-net-better-error-messages-port, test-net-connect-handle-econnrefused).
const net = require('net');
const { out, portless, REFUSED_PORT } = require('./_lib');

const port = REFUSED_PORT;
const c = net.connect(port);
out('after connect()', c.connecting, c.readyState);
c.on('lookup', (e, a, f, h) => out('lookup', e && e.code, a, f, h));
c.on('connectionAttempt', (ip, p, f) => out('attempt', ip, p === port, f));
c.on('connectionAttemptFailed', (ip, p, f, e) => out('attempt failed', ip, e.code));
c.on('connect', () => out('connect'));
c.on('error', (e) => {
  const first = Array.isArray(e.errors) ? e.errors[0] : e;
  out('error', e.code, 'first', first.code, first.syscall, first.address, first.port === port);
  out('message', portless(e.message, port));
  out('connecting', c.connecting, 'destroyed', c.destroyed);
});
c.on('close', (h) => out('close', h));
