// allowHalfOpen false (the default): in its end handler the server socket is still
// writable (writeOnly), a write there is accepted and reaches the client; the socket ends
// itself on the next tick (finish), then closes (Node's test-net-writable).
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

serve({}, (s) => {
  s.resume();
  s.on('end', () => {
    note('srvSock', 'end', s.readyState, s.writable, s.writableEnded);
    note('srvSock', 'write in end', s.write('reply'), s.writableLength);
    process.nextTick(() => note('srvSock', 'next tick', s.writableEnded));
  });
  s.on('finish', () => note('srvSock', 'finish', s.readyState));
  s.on('close', (e) => note('srvSock', 'close', e));
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  c.setEncoding('utf8');
  c.end('hi');
  c.on('data', (d) => out('client data', d));
  c.on('end', () => out('client end'));
  c.on('close', (e) => {
    out('client close', e);
    server.close();
  });
});
