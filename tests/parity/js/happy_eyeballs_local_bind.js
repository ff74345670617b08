// Happy eyeballs with a local port whose bind fails for some addresses. Node binds each
// attempt's socket before the attempt: a failed bind emits no connectionAttempt and no
// connectionAttemptFailed, its `bind` error is kept for the aggregate error, and the next
// address is tried at once (a next-tick queued by the last `lookup` listener runs after
// the next attempt's connectionAttempt).
// 1. The local port is held on ::1 (ipv6Only): ::1's bind fails, 127.0.0.1 connects from
//    that port.
// 2. The local port is held on 0.0.0.0: both binds fail (IPv6's too: [::] is dual-stack),
//    IPv6 first, then IPv4: one aggregate error of two `bind EADDRINUSE`.
// 3. As 2 with IPv4 answered first.
// Before those, the same bind failing on a plain connect, to an IP address (connected on
// next tick) and through a lookup answering inside connect(): the socket is destroyed in
// the tick that binds, so a next-tick queued after connect() finds it destroyed.
const net = require('net');
const { out } = require('./_lib');

function resolver(answers) {
  return (host, opts, cb) =>
    setImmediate(() => cb(null, answers.map((a) => ({ address: a, family: net.isIP(a) }))));
}

function connect(tag, port, local, answers, next) {
  const name = (m) => m.split(`:${local}`).join(':L').split(`:${port}`).join(':P');
  const c = net.connect({ port, host: 'example.test', localPort: local, lookup: resolver(answers) });
  c.on('lookup', (e, a, f) => {
    out(tag, 'lookup', a, f);
    process.nextTick(() => out(tag, 'tick after lookup', a));
  });
  c.on('connectionAttempt', (ip, p, f) => out(tag, 'attempt', ip, f));
  c.on('connectionAttemptFailed', (ip, p, f, e) => out(tag, 'failed', ip, e.code, name(e.message)));
  c.on('connect', () => out(tag, 'connect', c.remoteAddress, c.localPort === local));
  c.on('data', (d) => out(tag, 'data', d));
  c.on('error', (e) => {
    out(tag, 'error', e.code, e.name, JSON.stringify(e.message));
    for (const x of e.errors || []) {
      out(tag, ' ', x.code, x.syscall, x.address, x.port === local, name(x.message));
    }
  });
  c.on('close', (h) => {
    out(tag, 'close', h);
    next();
  });
}

function single(port, local, next) {
  const c = net.connect({ port, host: '127.0.0.1', localPort: local });
  process.nextTick(() => out('ip tick', c.destroyed, c.connecting));
  setImmediate(() => out('ip immediate', c.destroyed));
  c.on('error', (e) => out('ip error', e.code, e.syscall, e.address, e.port === local));
  c.on('close', (h) => out('ip close', h));
  const d = net.connect({
    port, host: 'example.test', localPort: local, lookup: (h, o, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]),
  });
  process.nextTick(() => out('sync lookup tick', d.destroyed, d.connecting));
  d.on('error', (e) => out('sync lookup error', e.code, e.syscall, e.address, e.port === local));
  d.on('close', (h) => {
    out('sync lookup close', h);
    next();
  });
}

const server = net.createServer((s) => s.end('hi'));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const held = net.createServer();
  held.listen(0, '0.0.0.0', () => single(port, held.address().port, () => {
    held.close();
    eyeballs(port);
  }));
});

function eyeballs(port) {
  const held6 = net.createServer();
  held6.listen({ port: 0, host: '::1', ipv6Only: true }, () => {
    const l6 = held6.address().port;
    connect('one', port, l6, ['::1', '127.0.0.1'], () => {
      held6.close();
      const held4 = net.createServer();
      held4.listen(0, '0.0.0.0', () => {
        const l4 = held4.address().port;
        connect('two', port, l4, ['::1', '127.0.0.1'], () => {
          connect('three', port, l4, ['127.0.0.1', '::1'], () => {
            held4.close();
            server.close();
          });
        });
      });
    });
  });
}
