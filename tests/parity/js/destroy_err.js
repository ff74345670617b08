// destroy(err) 20 ms after connect: error on next tick, then close(true); destroying again
// inside the error listener changes nothing.
const net = require('net');
const { out, note } = require('./_lib');

const watch = (name, s) => {
  for (const ev of ['connect', 'ready', 'end', 'finish']) {
    s.on(ev, () => note(name, ev, s.readyState));
  }
  s.on('error', (e) => note(name, 'error', e.code || e.message));
  s.on('close', (e) => note(name, 'close', e, s.readyState));
};

const server = net.createServer((s) => watch('srvSock', s));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  watch('client', c);
  c.on('error', () => c.destroy());
  c.on('connect', () => {
    setTimeout(() => {
      c.destroy(new Error('boom'));
      note('client', 'after destroy(err)', c.destroyed, c.readyState);
      process.nextTick(() => note('client', 'next tick'));
    }, 20);
  });
  c.on('close', () => server.close(() => out('server closed')));
});
