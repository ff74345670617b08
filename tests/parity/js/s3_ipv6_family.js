// Over IPv6 loopback: the server on ::1 and its client see IPv6 families and ::1
// addresses on both ends; the client's local port is the server side's remote port.
const net = require('net');
const { out, note } = require('./_lib');

const server = net.createServer((s) => {
  note('srvSock', 'remote', s.remoteAddress, s.remoteFamily, 'local', s.localAddress,
    s.localFamily, s.localPort === server.address().port);
  s.end();
});
server.listen(0, '::1', () => {
  const a = server.address();
  out('server', a.address, a.family);
  const c = net.connect(a.port, '::1');
  c.on('connect', () => {
    const l = c.address();
    note('client', 'remote', c.remoteAddress, c.remoteFamily, c.remotePort === a.port,
      'local', c.localAddress, c.localFamily, 'address()', l.address, l.family,
      l.port === c.localPort);
  });
  c.resume();
  c.on('close', () => server.close());
});
