// The attempted-addresses list outlives a reconnect: a happy-eyeballs connect to ::1 and
// 127.0.0.1 on a refusing port fails, and its close listener connects the same socket to
// 127.0.0.1 directly; the list still holds the two attempts through that connect.
const net = require('net');
const { out, REFUSED_PORT } = require('./_lib');

const server = net.createServer((c) => c.end());
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const show = (a) => (a ? a.map((x) => x.replace(`:${REFUSED_PORT}`, ':R')).join(',') : 'undefined');
  const lookup = (host, opts, cb) =>
    cb(null, [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }]);
  const s = net.connect({ port: REFUSED_PORT, host: 'example.test', lookup, autoSelectFamily: true });
  let again = false;
  s.on('error', (e) => out('error', e.code, show(s.autoSelectFamilyAttemptedAddresses)));
  s.on('close', () => {
    out('close', show(s.autoSelectFamilyAttemptedAddresses));
    if (again) {
      server.close();
      return;
    }
    again = true;
    s.connect({ port, host: '127.0.0.1' });
    out('reconnecting', show(s.autoSelectFamilyAttemptedAddresses));
    s.on('connect', () => {
      out('connect', show(s.autoSelectFamilyAttemptedAddresses));
      s.end();
    });
  });
});
