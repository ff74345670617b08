// Run in a network namespace of its own (fixed ports). A server listens on the port it is
// given, with a host, a backlog, both or neither: address() names the host asked for (::
// with none), its family and the given port; listen(0) gets a port the system chose. A
// client given a local port only connects from it: the server sees it as the remote port
// (test-net-server-address, test-net-server-bind, test-net-localport).
const net = require('net');
const { out, note } = require('./_lib');

const LOCAL_PORT = 45100;
const cases = [
  ['127.0.0.1', [5100, '127.0.0.1'], 5100],
  ['::1', [5101, '::1'], 5101],
  ['port only', [5102], 5102],
  ['0.0.0.0, backlog', [5103, '0.0.0.0', 127], 5103],
  ['backlog', [5104, 127], 5104],
  ['port 0', [0], 0],
];
const servers = [];
let listening = 0;
for (const [tag, args, port] of cases) {
  const s = net.createServer();
  servers.push(s);
  s.on('error', (e) => out(tag, 'error', e.code));
  s.listen(...args, () => {
    const a = s.address();
    out(tag, 'listening', a.address, a.family, port ? a.port === port : a.port >= 1024);
    if (++listening === cases.length) connect();
  });
  out(tag, 'address after listen()', s.address() && s.address().address);
}

function connect() {
  const server = servers[2];
  server.on('connection', (s) => {
    note('srvSock', 'remote', s.remoteAddress, s.remotePort === LOCAL_PORT);
    s.end();
    s.on('close', () => {
      for (const x of servers) x.close();
    });
  });
  const c = net.connect({ port: 5102, host: '127.0.0.1', localPort: LOCAL_PORT });
  c.on('connect', () => note('client', 'connect', c.localAddress, c.localPort === LOCAL_PORT));
  c.on('end', () => note('client', 'end'));
  c.on('close', (h) => note('client', 'close', h));
}
