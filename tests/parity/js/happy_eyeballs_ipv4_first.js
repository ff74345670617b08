// Happy eyeballs takes the resolver's order: with [127.0.0.1, ::1] for a name and a
// server on both loopbacks (::, dual-stack), the IPv4 address is tried first and used.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => s.end('hi'));
server.listen(0, () => {
  const port = server.address().port;
  const lookup = (host, opts, cb) =>
    setImmediate(() => cb(null, [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]));
  const c = net.connect({ port, host: 'example.test', lookup });
  c.on('lookup', (e, a, f, h) => out('lookup', e, a, f, h));
  c.on('connectionAttempt', (ip, p, f) => out('attempt', ip, p === port, f));
  c.on('connectionAttemptFailed', (ip, p, f, e) => out('failed', ip, f, e.code));
  c.on('connect', () => out('connect', c.remoteAddress, c.remoteFamily));
  c.on('data', (d) => out('data', d));
  c.on('close', (h) => {
    out('close', h);
    server.close();
  });
});
