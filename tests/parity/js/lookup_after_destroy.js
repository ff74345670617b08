// A socket destroyed right after connect() to a name, with autoSelectFamily off: Node's
// single-address path emits `lookup` when the answer comes, although the socket is
// destroyed (and closed) by then, and connects nowhere. With a `close` listener, without
// one (the close then has nobody to tell), and for a name that does not resolve (the
// lookup's error). With happy eyeballs on, nothing is emitted after the destroy. Whether a
// lookup answers before or after its socket's close is a race with the resolver thread
// (Node's usually answers first), so each event is a line of its own actor.
const net = require('net');
const { out, note } = require('./_lib');

const server = net.createServer((s) => s.end());
server.listen(0, () => {
  const port = server.address().port;
  const watch = (label, host, auto, onClose) => {
    const b = net.connect({ port, host, autoSelectFamily: auto });
    b.destroy();
    b.on('lookup', (e, a, f, h) => note(`${label} lookup`, e ? e.code : null, a, f, h));
    b.on('connect', () => note(`${label} connect`, 'connected'));
    if (onClose) b.on('close', (h) => note(`${label} close`, h));
  };
  watch('a', 'localhost', false, true);
  watch('b', 'localhost', false, false);
  watch('c', 'nodenet-no-such-host.invalid', false, true);
  watch('d', 'localhost', true, true);
  setTimeout(() => {
    out('done');
    server.close();
  }, 300);
});
