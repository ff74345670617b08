// Data and the peer's FIN that arrive together are read in two loop iterations, as
// libuv's reads stop at a short read and its level-triggered poll reports the socket
// again: `data` in one, `end` in the next, after the first one's immediates.
const net = require('net');
const { out } = require('./_lib');

const sleep = (ms) => {
  const t = Date.now();
  while (Date.now() - t < ms) {}
};

const server = net.createServer((s) => s.end('hello'));
server.listen(0, '127.0.0.1', () => {
  // Both arrive while the client's loop is busy in its connect listener.
  const c = net.connect(server.address().port, '127.0.0.1', () => sleep(30));
  c.on('data', (d) => {
    out('data', d.length);
    setImmediate(() => out('immediate'));
    process.nextTick(() => out('tick'));
  });
  c.on('end', () => out('end'));
  c.on('close', () => {
    out('close');
    server.close(() => out('server closed'));
  });
});
