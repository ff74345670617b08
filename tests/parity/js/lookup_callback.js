// A user lookup that answers through its callback later, and one that never answers:
// - answered after a 30 ms timer: `lookup`, then the connect goes on as usual;
// - answered inside the call: the `lookup` event comes inside connect(), before the
//   listener added after it;
// - never answered: the socket stays connecting (`opening`), its idle timeout still fires,
//   and a destroy closes it (with no `lookup` event);
// - never answered and nothing else to wait for: the lookup keeps nothing alive, so the
//   process exits with the socket still connecting (no `close`).
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => s.end('hi'));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const later = (host, opts, cb) => {
    out('later asked', host, opts.family || 0);
    setTimeout(() => {
      out('later answers');
      if (opts.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
    }, 30);
  };
  const a = net.connect({ port, host: 'later.test', lookup: later });
  a.on('lookup', (e, address, family, host) => out('a lookup', e, address, family, host));
  a.on('connect', () => out('a connect', a.remoteAddress));
  a.on('data', (d) => out('a data', d));
  a.on('close', (h) => {
    out('a close', h);
    const now = (host, opts, cb) => {
      out('now asked', host);
      if (opts.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
      out('now answered');
    };
    const d = net.connect({ port, host: 'now.test', lookup: now });
    out('connect() returned');
    d.on('lookup', () => out('d lookup'));
    d.on('connect', () => out('d connect'));
    d.on('close', (h2) => {
      out('d close', h2);
      hung();
    });
    d.resume();
  });
});

function hung() {
  const never = (host) => out('never asked', host);
  const b = net.connect({ port: 1, host: 'never.test', lookup: never });
  b.setTimeout(50);
  b.on('lookup', () => out('b lookup'));
  b.on('timeout', () => out('b timeout', b.connecting, b.readyState));
  b.on('close', (h) => {
    out('b close', h);
    const c = net.connect({ port: 1, host: 'never.test', lookup: never });
    c.on('close', () => out('c close'));
    server.close(() => out('server close'));
  });
  setTimeout(() => {
    out('destroying b', b.connecting, b.readyState);
    b.destroy();
  }, 150);
}
