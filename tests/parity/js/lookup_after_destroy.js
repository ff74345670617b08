// KNOWN DIFFERENCE (not registered in scenarios/mod.rs): a socket destroyed right after
// connect() to a name, with autoSelectFamily off. Node's single-address path emits
// `lookup` when the answer comes, although the socket is destroyed (and closed) by then;
// nodenet emits nothing, as the socket's listeners are gone with its close.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => s.end());
server.listen(0, () => {
  const b = net.connect({ port: server.address().port, host: 'localhost', autoSelectFamily: false });
  b.destroy();
  let lookups = 0;
  b.on('lookup', (e, a, f, h) => lookups++);
  b.on('close', (h) => {
    out('close', h);
    setTimeout(() => {
      out('lookup events', lookups);
      server.close();
    }, 100);
  });
});
