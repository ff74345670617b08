// No ephemeral port left (run in a network namespace of its own with two of them, 40000
// and 40001, both taken by two connections to one server):
// - a third plain connect fails at once in connect() with EADDRNOTAVAIL: the error comes
//   on a later tick, with no failed attempt reported, and its message names the local
//   address the socket had (0.0.0.0:0);
// - with localAddress (and no port), the bind finds no port; libuv keeps that error for
//   the connect, which fails on the loop with EADDRINUSE as a failed attempt;
// - with localPort 40000 the bind itself fails: a `bind` error;
// then the rest close.
const net = require('net');
const { out, note } = require('./_lib');

const port = 5000;
const failing = [{}, { localAddress: '127.0.0.1' }, { localAddress: '127.0.0.1', localPort: 40000 }];
const clients = [];
const server = net.createServer((s) => {
  note('server', 'connection');
  s.on('close', (e) => note('server', 'socket close', e));
});

function connect(i, extra) {
  const c = net.connect({ port, host: '127.0.0.1', ...extra });
  clients.push(c);
  out('connect()', i, c.connecting);
  setImmediate(() => out('immediate', i));
  c.on('connectionAttempt', (a, p, f) => out('connectionAttempt', i, a, p === port, f));
  c.on('connectionAttemptFailed', (a, p, f, e) => out('connectionAttemptFailed', i, a, p === port, f, e.code));
  c.on('error', (e) => {
    out('error', i, e.code, e.errno, e.syscall, e.address, e.port);
    out('message', i, e.message);
    out('destroyed', c.destroyed, 'connecting', c.connecting);
  });
  out('after connect()', i);
  return c;
}

function fail(k) {
  if (k === failing.length) {
    for (const c of clients) c.destroy();
    server.close(() => note('server', 'close'));
    return;
  }
  const c = connect(2 + k, failing[k]);
  c.on('close', (e) => {
    out('close', 2 + k, e);
    fail(k + 1);
  });
}

server.listen(port, '127.0.0.1', () => {
  const first = connect(0, {});
  first.on('connect', () => {
    out('connect', 0);
    const second = connect(1, {});
    second.on('connect', () => {
      out('connect', 1);
      fail(0);
    });
    second.on('close', (e) => note('client 1', 'close', e));
  });
  first.on('close', (e) => note('client 0', 'close', e));
});
