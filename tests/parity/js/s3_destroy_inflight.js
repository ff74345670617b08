// destroy() with writes pending, peer not reading: the write the kernel could not finish
// (in flight) gets ECANCELED, the writes queued behind it get the destroy error (ECANCELED
// when there is none); destroy(err) emits error first; then close.
const net = require('net');
const { out } = require('./_lib');
const { serve, code } = require('./_s3');

const chunk = Buffer.alloc(1 << 20, 97);
serve({ pauseOnConnect: true }, () => {}, (server, port) => {
  const round = (name, err, then) => {
    const c = net.connect(port, '127.0.0.1');
    c.on('connect', () => {
      let writes = 0;
      let okCbs = 0;
      const cb = (i) => (e) => {
        if (i < writes - 1 && e === null) okCbs++;
        else out(name, 'cb of the write that returned false', code(e), e && e.syscall, e && e.errno,
          'earlier callbacks ok', okCbs === writes - 1);
      };
      while (c.write(chunk, cb(writes++)));
      c.write('x', (e) => out(name, 'cb x', code(e)));
      c.write('y', (e) => out(name, 'cb y', code(e)));
      setTimeout(() => {
        c.destroy(err);
        out(name, 'destroyed', c.destroyed, c.writableLength);
        process.nextTick(() => out(name, 'next tick'));
      }, 20);
    });
    c.on('error', (e) => out(name, 'error', code(e)));
    c.on('close', (e) => {
      out(name, 'close', e);
      then();
    });
  };
  round('with error:', new Error('boom'), () => round('without:', undefined, () => server.close()));
});
