// The JS twin of tests/connect_emfile.rs: with every descriptor taken (files opened until
// EMFILE), a connect with no local address fails after its connectionAttempt, its message
// naming the local side Node could not read (`undefined:undefined`), and one with a local
// address fails in its bind, with no attempt.
const net = require('net');
const fs = require('fs');
const { out } = require('../parity/js/_lib');

const server = net.createServer(() => {});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const held = [];
  try {
    for (;;) held.push(fs.openSync('/dev/null', 'r'));
  } catch (e) {
    out('descriptors taken', e.code);
  }
  let left = 2;
  const done = () => {
    if (--left > 0) return;
    for (const fd of held) fs.closeSync(fd);
    server.close(() => out('server close'));
  };
  const tries = [['plain', {}], ['local', { localAddress: '127.0.0.1' }]];
  for (const [name, extra] of tries) {
    const c = net.connect({ port, host: '127.0.0.1', ...extra });
    c.on('connectionAttempt', (ip, p, f) => out(name, 'attempt', ip, p === port, f));
    c.on('connectionAttemptFailed', (ip, p, f, e) => out(name, 'failed', e.code));
    c.on('error', (e) =>
      out(name, 'error', e.code, e.errno, e.syscall, e.address, e.port === port, e.message.split(':' + port).join(':P')));
    c.on('close', (h) => {
      out(name, 'close', h);
      done();
    });
  }
});
