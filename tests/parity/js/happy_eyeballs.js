// Happy eyeballs: a resolver answering [::1, 127.0.0.1] for a name, a server on 127.0.0.1
// only: lookup events for both, a refused ::1 attempt, then 127.0.0.1 connects.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => s.end('hi'));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const lookup = (host, opts, cb) =>
    setImmediate(() => cb(null, [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }]));
  const c = net.connect({ port, host: 'example.test', lookup });
  c.on('lookup', (e, a, f, h) => out('lookup', e, a, f, h));
  c.on('connectionAttempt', (ip, p, f) => out('attempt', ip, p === port, f));
  c.on('connectionAttemptFailed', (ip, p, f, e) => out('failed', ip, f, e.code));
  c.on('connect', () => out('connect', c.remoteAddress, c.remoteFamily));
  c.on('data', (d) => out('data', d));
  c.on('end', () => out('end'));
  c.on('close', (h) => {
    out('close', h);
    server.close();
  });
});
