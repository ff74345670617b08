// Addresses: listen(0) with no host binds :: at once; with a host, only by listening. An
// IPv4 client of a :: server is seen as ::ffff:127.0.0.1; the ports of both ends match.
const net = require('net');
const { out, note } = require('./_lib');

const any = net.createServer();
any.listen(0);
const a = any.address();
out('listen(0):', any.listening, a.address, a.family, a.port > 0);
const local = net.createServer();
local.listen(0, '127.0.0.1');
out('listen(0, 127.0.0.1):', local.listening, local.address());
local.on('listening', () => {
  const l = local.address();
  out('listening:', l.address, l.family, l.port > 0);
  local.close();
});

any.on('connection', (s) => {
  note('srvSock', 'remote', s.remoteAddress, s.remoteFamily, 'local', s.localAddress, s.localFamily);
  note('srvSock', 'ports', s.localPort === any.address().port);
  s.on('end', () => s.end());
  s.on('close', () => any.close());
  srvRemotePort = s.remotePort;
});
let srvRemotePort;
const c = net.connect(any.address().port, '127.0.0.1');
c.on('connect', () => {
  note('client', 'remote', c.remoteAddress, c.remoteFamily, c.remotePort === any.address().port);
  note('client', 'local', c.localAddress, c.localFamily, typeof c.localPort);
  note('client', 'address()', c.address().address, c.address().family);
  setTimeout(() => {
    note('client', 'server sees my port', srvRemotePort === c.localPort);
    c.end();
  }, 20);
});
// (Node also keeps remoteAddress after close once it was read; nodenet does not: not shown.)
c.on('close', () => note('client', 'after close', c.localAddress, c.localPort));
