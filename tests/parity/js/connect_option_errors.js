// What Node's connect() throws before it starts (test-net-localerror,
// test-net-autoselectfamily-attempt-timeout-cli-option): a localAddress that is not an IP
// address (ERR_INVALID_IP_ADDRESS) and an autoSelectFamilyAttemptTimeout of 0
// (ERR_OUT_OF_RANGE); on a Unix path connect neither option is checked; an empty
// localAddress is no local address, and a timeout of 5 is taken (as 10).
const net = require('net');
const os = require('os');
const path = require('path');
const { out } = require('./_lib');

const t = (label, f) => {
  try {
    const s = f();
    out(label, 'returned');
    s.on('error', (e) => out(label, 'error', e.code));
  } catch (e) {
    out(label, 'throws', e.code, e.name, e.message);
  }
};

const server = net.createServer((c) => c.end());
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  t('localAddress foobar', () => net.connect({ port, host: '127.0.0.1', localAddress: 'foobar' }));
  t('localAddress 1.2.3', () => net.connect({ port, host: '127.0.0.1', localAddress: '1.2.3' }));
  t('attempt timeout 0', () => net.connect({ port, host: '127.0.0.1', autoSelectFamilyAttemptTimeout: 0 }));
  t('attempt timeout 2^31', () => net.connect({ port, host: '127.0.0.1', autoSelectFamilyAttemptTimeout: 2 ** 31 }));
  const missing = path.join(os.tmpdir(), `nodenet-connect-opt-js-${process.pid}.sock`);
  t('path with both', () => net.connect({ path: missing, localAddress: 'foobar', autoSelectFamilyAttemptTimeout: 0 }));
  const ok = net.connect({ port, host: '127.0.0.1', localAddress: '', autoSelectFamilyAttemptTimeout: 5 });
  ok.on('connect', () => out('empty localAddress, timeout 5: connect'));
  ok.on('close', () => server.close());
  ok.resume();
});
