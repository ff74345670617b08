// Unconsumed data holds end back: the server sends `payload` and FIN; the client reads
// nothing for 100 ms (no end, no close), then read() returns it and end and close follow.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => s.end('payload'));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('end', () => out('end'));
  c.on('close', (e) => {
    out('close', e);
    server.close();
  });
  setTimeout(() => {
    out('state', c.readableLength, c.readableFlowing, c.destroyed, c.bytesRead);
    out('read', c.read());
  }, 100);
});
