// ipv6Only: a server on :: with ipv6Only takes ::1 but not 127.0.0.1 (ECONNREFUSED).
// reusePort: a second server with reusePort listens on the first one's port (both had
// it); a third without it gets EADDRINUSE.
const net = require('net');
const { out } = require('./_lib');

const v6 = net.createServer((s) => s.end());
v6.listen({ host: '::', port: 0, ipv6Only: true }, () => {
  const port = v6.address().port;
  out('v6 listening', v6.address().address, v6.address().family);
  const a = net.connect(port, '::1');
  a.on('connect', () => out('::1 connect'));
  a.resume();
  a.on('close', (h) => {
    out('::1 close', h);
    const b = net.connect(port, '127.0.0.1');
    b.on('connect', () => out('127.0.0.1 connect'));
    b.on('error', (e) => out('127.0.0.1 error', e.code));
    b.on('close', (h) => {
      out('127.0.0.1 close', h);
      v6.close();
      reuse();
    });
  });
});

function reuse() {
  const one = net.createServer();
  one.listen({ host: '127.0.0.1', port: 0, reusePort: true }, () => {
    const port = one.address().port;
    out('one listening');
    const two = net.createServer();
    two.on('error', (e) => out('two error', e.code));
    two.listen({ host: '127.0.0.1', port, reusePort: true }, () => {
      out('two listening', two.address().port === port);
      const three = net.createServer();
      three.on('listening', () => out('three listening'));
      three.on('error', (e) => {
        out('three error', e.code);
        one.close();
        two.close();
      });
      three.listen({ host: '127.0.0.1', port });
    });
  });
}
