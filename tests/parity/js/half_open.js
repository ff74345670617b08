// allowHalfOpen on both ends: the client ends with `x` on connect, the server stays writable
// after its end, writes `late` 50 ms later and ends.
const net = require('net');
const { out, note } = require('./_lib');

const watch = (name, s) => {
  for (const ev of ['connect', 'ready', 'end', 'finish']) {
    s.on(ev, () => note(name, ev, s.readyState));
  }
  s.on('data', (d) => note(name, 'data', d, s.readyState));
  s.on('close', (e) => note(name, 'close', e, s.readyState));
};

const server = net.createServer({ allowHalfOpen: true }, (s) => {
  watch('srvSock', s);
  s.on('end', () => {
    note('srvSock', 'writable', s.writable, 'readable', s.readable);
    setTimeout(() => {
      note('srvSock', 'write', s.write('late'));
      s.end();
    }, 50);
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect({ port: server.address().port, host: '127.0.0.1', allowHalfOpen: true });
  watch('client', c);
  c.on('connect', () => c.end('x'));
  c.on('close', () => server.close());
});
