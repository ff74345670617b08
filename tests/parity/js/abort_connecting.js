// A client whose signal aborts while it connects is destroyed at once: 'error' AbortError
// (code ABORT_ERR, its cause the signal's reason) on next tick, then 'close' true in the
// close phase; no connect is attempted. Made by net.connect({ signal }), then by
// new net.Socket({ signal }) and connect(), then by net.connect to a host name (aborted
// while its lookup runs: no 'lookup' event after it).
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => s.destroy());
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  one(port, 'connect', () => {
    one(port, 'ctor', () => {
      one(port, 'lookup', () => server.close(() => out('server closed')));
    });
  });
});

function one(port, how, next) {
  const ac = new AbortController();
  let c;
  if (how === 'connect') {
    c = net.connect({ port, host: '127.0.0.1', signal: ac.signal });
  } else if (how === 'lookup') {
    c = net.connect({ port, host: 'localhost', signal: ac.signal });
  } else {
    c = new net.Socket({ signal: ac.signal });
    out(how, 'made', c.destroyed);
    c.connect(port, '127.0.0.1');
  }
  out(how, 'connecting', c.connecting, c.destroyed);
  for (const ev of ['lookup', 'connect', 'ready', 'connectionAttempt', 'end', 'finish']) {
    c.on(ev, () => out(how, ev));
  }
  c.on('error', (e) => {
    out(how, 'error', e.code, e.name, e.message, '/', e.cause.name, e.cause.message, c.destroyed);
  });
  c.on('close', (h) => {
    out(how, 'close', h, c.readyState);
    setTimeout(next, 5);
  });
  ac.abort();
  out(how, 'aborted', c.destroyed, c.connecting, c.readyState);
  process.nextTick(() => {
    out(how, 'tick');
    process.nextTick(() => out(how, 'tick in tick'));
  });
  setImmediate(() => out(how, 'immediate'));
}
