// maxConnections = 1: a second client is dropped (a drop event, no connection), and sees a
// connect then an orderly end; once the first is gone a third is accepted.
const net = require('net');
const { out, note } = require('./_lib');

const server = net.createServer((s) => {
  out('connection');
  s.on('close', () => note('srvSock', 'close'));
});
server.maxConnections = 1;
server.on('drop', (d) => out('drop', d.localAddress, d.remoteAddress, d.remoteFamily));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const a = net.connect(port, '127.0.0.1', () => {
    out('a connect');
    const b = net.connect(port, '127.0.0.1');
    b.on('connect', () => note('b', 'connect'));
    b.on('end', () => note('b', 'end'));
    b.on('close', (e) => {
      note('b', 'close', e);
      server.getConnections((err, n) => {
        out('getConnections', err, n);
        a.destroy();
      });
    });
  });
  a.on('close', () => {
    out('a close');
    setTimeout(() => {
      const c = net.connect(port, '127.0.0.1', () => {
        out('c connect');
        c.end();
      });
      c.on('close', () => server.close());
    }, 20);
  });
});
