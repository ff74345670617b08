// The process-wide happy-eyeballs defaults: their initial values, the attempt timeout's
// range (ERR_OUT_OF_RANGE below 1 and above 2^31 - 1, 1 to 9 stored as 10), and a connect
// made after setDefaultAutoSelectFamily(false): of the two addresses the name has, only the
// first is looked up and tried (one lookup event, one attempt), and it connects.
const net = require('net');
const { out } = require('./_lib');

out('initial', net.getDefaultAutoSelectFamily(), net.getDefaultAutoSelectFamilyAttemptTimeout());
for (const v of [0, -1, 2 ** 31]) {
  try {
    net.setDefaultAutoSelectFamilyAttemptTimeout(v);
    out('set', v, 'accepted');
  } catch (e) {
    out('set', v, e.code, e.message, net.getDefaultAutoSelectFamilyAttemptTimeout());
  }
}
for (const v of [1, 9, 10, 11, 2 ** 31 - 1, 250]) {
  net.setDefaultAutoSelectFamilyAttemptTimeout(v);
  out('set', v, 'get', net.getDefaultAutoSelectFamilyAttemptTimeout());
}
net.setDefaultAutoSelectFamily(false);
out('family default', net.getDefaultAutoSelectFamily());

const server = net.createServer((s) => s.end('hi'));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const lookup = (host, opts, cb) =>
    setImmediate(() => {
      if (opts.all) {
        cb(null, [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]);
      } else {
        cb(null, '127.0.0.1', 4);
      }
    });
  const c = net.connect({ port, host: 'example.test', lookup });
  c.on('lookup', (e, a, f, h) => out('lookup', e, a, f, h));
  c.on('connectionAttempt', (ip, p, f) => out('attempt', ip, p === port, f));
  c.on('connect', () => out('connect', c.remoteAddress));
  c.on('data', (d) => out('data', d));
  c.on('close', (h) => {
    out('close', h);
    net.setDefaultAutoSelectFamily(true);
    out('family default', net.getDefaultAutoSelectFamily());
    server.close();
  });
});
