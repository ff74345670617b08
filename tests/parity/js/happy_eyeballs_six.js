// Happy eyeballs with six distinct addresses. The resolver answers, in this order,
// ::1, ::ffff:127.0.0.2, ::1, ::ffff:127.0.0.3, 127.0.0.2, 127.0.0.3, 127.0.0.2, 127.0.0.1:
// one `lookup` event per answer, in the resolver's order, repeats included; the repeats
// are dropped before connecting, and the rest are tried alternating families, starting
// with the first answer's (IPv6). autoSelectFamilyAttemptedAddresses grows by one
// `address:port` per attempt.
// 1. A server on 127.0.0.1 only: five refused attempts, then the sixth connects.
// 2. Nothing listening: six refusals, one aggregate error holding them in attempt order.
// 3. The resolver answers 127.0.0.1 twice: one distinct address is a plain connect (its
//    attempt event, no attempted-addresses list).
// 4. As 1, with a block list holding ::1, 127.0.0.3 and 127.0.0.1: a blocked address gets
//    no attempt, only connectionAttemptFailed (ERR_IP_BLOCKED), and is not listed; the
//    last one blocked ends with the aggregate error.
const net = require('net');
const { out, portless, REFUSED_PORT } = require('./_lib');

const ANSWERS = [
  '::1', '::ffff:127.0.0.2', '::1', '::ffff:127.0.0.3',
  '127.0.0.2', '127.0.0.3', '127.0.0.2', '127.0.0.1',
];

function resolver(answers) {
  return (host, opts, cb) =>
    setImmediate(() => cb(null, answers.map((a) => ({ address: a, family: net.isIP(a) }))));
}

function attempted(c, port) {
  const a = c.autoSelectFamilyAttemptedAddresses;
  return a === undefined ? 'undefined' : `[${a.map((x) => portless(x, port)).join(',')}]`;
}

function watch(tag, c, port) {
  c.on('lookup', (e, a, f, h) => out(tag, 'lookup', e, a, f, h));
  c.on('connectionAttempt', (ip, p, f) =>
    out(tag, 'attempt', ip, p === port, f, attempted(c, port)));
  c.on('connectionAttemptFailed', (ip, p, f, e) =>
    out(tag, 'failed', ip, f, e.code, portless(e.message, port)));
  c.on('connectionAttemptTimeout', (ip, p, f) => out(tag, 'timeout', ip, f));
}

const server = net.createServer((s) => s.end('hi'));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const c = net.connect({ port, host: 'example.test', lookup: resolver(ANSWERS) });
  out('one', 'before lookup', attempted(c, port));
  watch('one', c, port);
  c.on('connect', () => {
    out('one', 'connect', c.remoteAddress, c.remoteFamily, attempted(c, port));
  });
  c.on('data', (d) => out('one', 'data', d));
  c.on('close', (h) => {
    out('one', 'close', h);
    two(port);
  });
});

function two(serverPort) {
  const port = REFUSED_PORT;
  const c = net.connect({ port, host: 'example.test', lookup: resolver(ANSWERS) });
  watch('two', c, port);
  c.on('error', (e) => {
    out('two', 'error', e.code, e.name, attempted(c, port));
    out('two', 'errors', e.errors.map((x) => portless(x.message, port)).join(' | '));
  });
  c.on('close', (h) => {
    out('two', 'close', h);
    three(serverPort);
  });
}

function three(port) {
  const c = net.connect({
    port, host: 'example.test', lookup: resolver(['127.0.0.1', '127.0.0.1']),
  });
  watch('three', c, port);
  c.on('connect', () => out('three', 'connect', c.remoteAddress, attempted(c, port)));
  c.on('data', (d) => out('three', 'data', d));
  c.on('close', (h) => {
    out('three', 'close', h);
    four(port);
  });
}

function four(port) {
  const blockList = new net.BlockList();
  for (const a of ['::1', '127.0.0.3', '127.0.0.1']) blockList.addAddress(a, net.isIP(a) === 6 ? 'ipv6' : 'ipv4');
  const c = net.connect({ port, host: 'example.test', lookup: resolver(ANSWERS), blockList });
  watch('four', c, port);
  c.on('error', (e) => {
    out('four', 'error', e.code, e.name, attempted(c, port));
    out('four', 'errors', e.errors.map((x) => portless(x.message, port)).join(' | '));
  });
  c.on('close', (h) => {
    out('four', 'close', h);
    server.close();
  });
}
