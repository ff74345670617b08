// Connecting to a port nothing listens on: connectionAttempt, connectionAttemptFailed,
// error (Node's fields; the port shown as P), close(true).
const net = require('net');
const { out, portless, REFUSED_PORT } = require('./_lib');

const port = REFUSED_PORT;
const c = net.connect(port, '127.0.0.1');
out('after connect()', c.connecting, c.pending, c.readyState);
c.on('connectionAttempt', (ip, p, family) => out('connectionAttempt', ip, p === port, family));
c.on('connectionAttemptFailed', (ip, p, family, e) =>
  out('connectionAttemptFailed', ip, p === port, family, e.code));
c.on('connect', () => out('connect'));
c.on('error', (e) => {
  out('error', e.code, e.errno, e.syscall, e.address, e.port === port);
  out('message', portless(e.message, port));
  out('connecting', c.connecting, 'destroyed', c.destroyed);
});
c.on('close', (e) => out('close', e));
