// Happy eyeballs with nothing listening: both attempts refused, one aggregate error
// carrying the first error's code and every error in attempt order, then close(true).
const net = require('net');
const { out, portless, REFUSED_PORT } = require('./_lib');

const port = REFUSED_PORT;
const lookup = (host, opts, cb) =>
  setImmediate(() => cb(null, [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }]));
const c = net.connect({ port, host: 'example.test', lookup });
c.on('connectionAttempt', (ip, p, f) => out('attempt', ip, f));
c.on('connectionAttemptFailed', (ip, p, f, e) => out('failed', ip, f, e.code));
c.on('error', (e) => {
  out('error', e.code, e.name, JSON.stringify(e.message));
  out('errors', e.errors.map((x) => portless(x.message, port)).join(' | '));
});
c.on('close', (h) => out('close', h));
