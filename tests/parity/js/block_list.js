// blockList: a server closes a blocked client's connection at once (no connection, no
// drop event: the client sees connect then end); a client refuses a blocked address after
// connectionAttempt with ERR_IP_BLOCKED and close(true).
const net = require('net');
const { out } = require('./_lib');

const bl = new net.BlockList();
bl.addAddress('127.0.0.1');
const server = net.createServer({ blockList: bl }, () => out('connection'));
server.on('drop', () => out('drop'));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const c = net.connect(port, '127.0.0.1');
  c.on('connect', () => out('client connect'));
  c.on('end', () => out('client end'));
  c.on('error', (e) => out('client error', e.code));
  c.on('close', (h) => {
    out('client close', h);
    const c2 = net.connect({ port, host: '127.0.0.1', blockList: bl });
    c2.on('connectionAttempt', (ip) => out('c2 attempt', ip));
    c2.on('connect', () => out('c2 connect'));
    c2.on('error', (e) => out('c2 error', e.code, e.message, e.syscall, e.address));
    c2.on('close', (h2) => {
      out('c2 close', h2);
      server.close();
    });
  });
});
