// Node's `errored`: null on a healthy socket and after a plain destroy(); the error of
// destroy(err) at once; the first error only (a second destroy's is ignored); the peer's
// reset (ECONNRESET); a write after end() (ERR_STREAM_WRITE_AFTER_END), from the call on.
// And `closed`: a socket's is true from its destroy() on (its _destroy completes at once);
// `readableAborted`: destroyed or errored before `end`.
const net = require('net');
const { out } = require('./_lib');

const code = (e) => (e ? e.code : e);
const parts = [
  (c, done) => {
    out('A fresh', code(c.errored), c.closed, c.readableAborted);
    c.destroy();
    out('A after destroy()', code(c.errored), c.closed, c.readableAborted);
    c.on('close', () => done(out('A close', code(c.errored), c.closed, c.readableAborted)));
  },
  (c, done) => {
    const e = new Error('first');
    e.code = 'ERR_FIRST';
    const f = new Error('second');
    f.code = 'ERR_SECOND';
    c.on('error', (x) => out('B error', x.code, code(c.errored)));
    c.destroy(e);
    c.destroy(f);
    out('B after destroy(err)', code(c.errored));
    c.on('close', () => done(out('B close', code(c.errored))));
  },
  (c, done, peer) => {
    c.on('error', (x) => out('C error', x.code, code(c.errored)));
    peer.resetAndDestroy();
    c.on('close', () => done(out('C close', code(c.errored))));
  },
  (c, done) => {
    c.on('error', (x) => out('D error', x.code, code(c.errored), c.readableAborted));
    c.end();
    c.write('x', (x) => out('D write cb', code(x), code(c.errored)));
    out('D after write', code(c.errored));
    c.on('close', () => done(out('D close', code(c.errored))));
  },
];

let peer = null;
let waiting = null;
const server = net.createServer((s) => {
  s.on('error', () => {});
  peer = s;
  if (waiting) waiting();
});
server.listen(0, '127.0.0.1', () => {
  const next = (i) => {
    if (i === parts.length) {
      server.close();
      return;
    }
    peer = null;
    const c = net.connect(server.address().port, '127.0.0.1');
    c.on('connect', () => {
      const go = () => parts[i](c, () => setTimeout(() => next(i + 1), 10), peer);
      if (peer) go();
      else waiting = () => {
        waiting = null;
        go();
      };
    });
  };
  next(0);
});
