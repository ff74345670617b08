// The lookup event: none for an IP literal; a custom lookup gets the family asked for (4
// or 6) and its answer comes as lookup(null, address, family, host); with the system's
// resolver, 'localhost' gives lookup events too.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => s.end());
server.listen(0, () => {
  const port = server.address().port;
  const lookup = (host, opts, cb) => {
    out('resolver', host, opts.family);
    const address = opts.family === 6 ? '::1' : '127.0.0.1';
    setImmediate(() => cb(null, address, opts.family));
  };
  const steps = [
    { port, host: '127.0.0.1' },
    { port, host: '::1' },
    { port, host: 'example.test', family: 4, lookup },
    { port, host: 'example.test', family: 6, lookup },
    { port, host: 'localhost' },
  ];
  (function next(i) {
    if (i === steps.length) return server.close();
    const c = net.connect(steps[i]);
    c.on('lookup', (e, a, f, h) => out(i, 'lookup', e, a, f, h));
    c.on('connect', () => out(i, 'connect', c.remoteFamily));
    c.resume();
    c.on('close', (h) => {
      out(i, 'close', h);
      next(i + 1);
    });
  })(0);
});
