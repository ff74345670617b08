// end() on a socket destroyed before `close` (found by fuzz_socket, seed 1 case 6). Node's
// end() on a stream destroyed without an error marks it ending: `writableEnded` reads
// true, the end callback is kept for a `finish` that never comes (never called), and a
// later write fails with ERR_STREAM_WRITE_AFTER_END. Destroyed with an error, or by
// resetAndDestroy() (no error, the same as destroy()), and with data to end with (whose
// write fails first): each as Node 24 answers. A second end() finds the stream ending
// and destroyed: ERR_STREAM_DESTROYED. (After `close` nodenet's handle is stale and
// answers ERR_STREAM_DESTROYED: its documented difference, not run here.)
const net = require('net');
const { out } = require('./_lib');

const cbErr = (e) => (e ? e.code : 'null');

// end(cb), `writableEnded`, then write(cb).
function endAndWrite(c) {
  c.end((e) => out(' end cb', cbErr(e)));
  out(' writableEnded', c.writableEnded);
  c.write('x', (e) => out(' write cb', cbErr(e)));
}

const CASES = [
  ['destroy, end, write', (c) => {
    c.destroy();
    endAndWrite(c);
  }],
  ['destroy(error), end, write', (c) => {
    c.on('error', (e) => out(' error', e.code));
    const err = new Error('boom');
    err.code = 'ERR_TEST';
    c.destroy(err);
    endAndWrite(c);
  }],
  ['resetAndDestroy, end, write', (c) => {
    c.resetAndDestroy();
    endAndWrite(c);
  }],
  ['destroy, end(data), write', (c) => {
    c.destroy();
    c.end('abc', 'utf8', (e) => out(' end cb', cbErr(e)));
    out(' writableEnded', c.writableEnded, 'writableLength', c.writableLength);
    c.write('x', (e) => out(' write cb', cbErr(e)));
  }],
  ['destroy, end, end', (c) => {
    c.destroy();
    c.end((e) => out(' end cb 1', cbErr(e)));
    c.end((e) => out(' end cb 2', cbErr(e)));
  }],
];

function runCase(server, port, i) {
  if (i === CASES.length) {
    server.close();
    return;
  }
  const [name, f] = CASES[i];
  out(name);
  const c = net.connect(port, '127.0.0.1');
  c.on('connect', () => f(c));
  c.on('close', (h) => {
    out(' close', h);
    setTimeout(() => runCase(server, port, i + 1), 10);
  });
}

const server = net.createServer((s) => {
  s.resume();
  s.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => runCase(server, server.address().port, 0));
