// resetAndDestroy() around the end of the writable side, the client ending first:
// - immediate: the server ends on its `end` and resets an immediate later, when `finish`
//   has closed the socket: the reset is a no-op, the peer gets the FIN;
// - auto: no allowHalfOpen, the server resets in its `end` listener, before its own
//   automatic end: the peer gets ECONNRESET;
// - queued: the server ends with 4 MiB still queued and resets at once: no shutdown has
//   begun, so the reset goes through.
// (A reset in the same callback as the end, or a tick later, is refused by Node with
// EINVAL and leaves the process hanging: tests/state_machine.rs has nodenet's answer.)
const net = require('net');
const { note } = require('./_lib');

const cases = ['immediate', 'auto', 'queued'];

function run(i) {
  if (i === cases.length) return;
  const mode = cases[i];
  const srv = `${i}-${mode}-server`;
  const cli = `${i}-${mode}-client`;
  const server = net.createServer({ allowHalfOpen: mode !== 'auto' }, (s) => {
    s.resume();
    s.on('error', (e) => note(srv, 'error', e.code, e.syscall));
    s.on('finish', () => note(srv, 'finish'));
    s.on('close', (h) => {
      note(srv, 'close', h, s.destroyed);
      server.close();
    });
    s.on('end', () => {
      note(srv, 'end');
      if (mode === 'immediate') {
        s.end();
        setImmediate(() => s.resetAndDestroy());
      } else if (mode === 'auto') {
        s.resetAndDestroy();
      } else {
        note(srv, 'write', s.write(Buffer.alloc(4 << 20)));
        s.end();
        s.resetAndDestroy();
      }
      note(srv, 'after', s.destroyed);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const c = net.connect({ port: server.address().port, host: '127.0.0.1', allowHalfOpen: true });
    c.on('connect', () => c.end());
    c.resume();
    c.on('end', () => note(cli, 'end'));
    c.on('error', (e) => note(cli, 'error', e.code));
    c.on('close', (h) => {
      note(cli, 'close', h);
      run(i + 1);
    });
  });
}
run(0);
