// Three clients connect at once: their connections wait in the listener's queue together,
// and the server takes one per loop iteration (libuv accepts once per poll event), so each
// connection's next tick and immediate run before the next connection.
const net = require('net');
const { out } = require('./_lib');

let n = 0;
const server = net.createServer((s) => {
  const k = ++n;
  out('connection', k);
  process.nextTick(() => out('tick', k));
  setImmediate(() => out('immediate', k));
  s.destroy();
  if (n === 3) server.close();
});
server.listen(0, '127.0.0.1', () => {
  setTimeout(() => {
    for (let i = 0; i < 3; i++) {
      net.connect(server.address().port, '127.0.0.1').on('error', () => {});
    }
  }, 20);
});
