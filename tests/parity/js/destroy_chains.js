// destroy() and resetAndDestroy() in the odd places: called from the error listener of a
// refused connect (one close only); destroy() returns the socket, twice, and a write
// after it gets ERR_STREAM_DESTROYED through its callback with no error event;
// resetAndDestroy() then destroy() while connecting: no connect, no error, one close; on a
// connected socket, resetAndDestroy().destroy() gives the peer ECONNRESET.
const net = require('net');
const { out, note, REFUSED_PORT } = require('./_lib');

function refused(name, how, next) {
  const c = net.connect(REFUSED_PORT, '127.0.0.1');
  c.on('error', (e) => {
    out(name, 'error', e.code);
    how(c);
  });
  c.on('close', (h) => {
    out(name, 'close', h);
    next();
  });
}

refused('destroy in error', (c) => c.destroy(), () =>
  refused('reset in error', (c) => c.resetAndDestroy(), connected));

function connected() {
  const server = net.createServer((s) => {
    s.on('error', (e) => note('server', 'error', e.code));
    s.on('close', (h) => note('server', 'close', h));
    s.resume();
  });
  server.listen(0, '127.0.0.1', () => {
    const port = server.address().port;
    const a = net.connect(port, '127.0.0.1', () => {
      out('a connect');
      out('a destroy returns it', a.destroy() === a, a.destroy() === a);
      a.write('x', (e) => out('a write callback', e && e.code));
    });
    a.on('error', (e) => out('a error', e.code));
    a.on('close', (h) => {
      out('a close', h);
      const b = net.connect(port, '127.0.0.1');
      out('b chain', b.resetAndDestroy().destroy() === b);
      b.on('connect', () => out('b connect'));
      b.on('error', (e) => out('b error', e.code));
      b.on('close', (h) => {
        out('b close', h);
        const d = net.connect(port, '127.0.0.1', () => {
          out('d connect');
          out('d chain', d.resetAndDestroy().destroy() === d);
          d.write('y', (e) => out('d write callback', e && e.code));
        });
        d.on('error', (e) => out('d error', e.code));
        d.on('close', (h) => {
          out('d close', h);
          server.close();
        });
      });
    });
  });
}
