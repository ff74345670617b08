// destroy() 20 ms after connect: no end/finish on the client, close(false); the server's
// socket sees an orderly FIN.
const net = require('net');
const { out, note } = require('./_lib');

const watch = (name, s) => {
  for (const ev of ['connect', 'ready', 'end', 'finish']) {
    s.on(ev, () => note(name, ev, s.readyState));
  }
  s.on('data', (d) => note(name, 'data', d));
  s.on('error', (e) => note(name, 'error', e.code || e.message));
  s.on('close', (e) => note(name, 'close', e, s.readyState, s.destroyed));
};

const server = net.createServer((s) => watch('srvSock', s));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  watch('client', c);
  c.on('connect', () => {
    setTimeout(() => {
      c.destroy();
      note('client', 'after destroy()', c.destroyed, c.readyState, c.bytesWritten);
      c.destroy();
    }, 20);
  });
  c.on('close', () => server.close(() => out('server closed')));
});
