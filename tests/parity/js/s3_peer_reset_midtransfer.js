// The server writes 2 MiB chunks (with callbacks) to a client that reads a little, then
// destroys itself with data unread, so the kernel answers with RST: on the server exactly
// one error (ECONNRESET, or EPIPE), then close(true); every write callback exactly once,
// in order, the failed ones with an error (Node's test-net-stream, test-net-error-twice).
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

const chunk = Buffer.alloc(2 << 20, 122);
serve({}, (s) => {
  let cbs = 0;
  let inOrder = true;
  let failed = 0;
  const n = 10;
  for (let i = 0; i < n; i++) {
    s.write(chunk, (e) => {
      if (i !== cbs) inOrder = false;
      cbs++;
      if (e) failed++;
    });
  }
  let errors = 0;
  s.on('error', (e) => {
    errors++;
    note('srvSock', 'error', ['ECONNRESET', 'EPIPE'].includes(e.code));
  });
  s.on('close', (e) => {
    note('srvSock', 'close', e, 'errors', errors, 'callbacks', cbs === n, 'in order', inOrder,
      'some failed', failed > 0);
  });
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  let got = 0;
  c.on('data', (d) => {
    got += d.length;
    if (got >= 1 << 20 && !c.isPaused()) {
      c.pause();
      setTimeout(() => {
        note('client', 'destroy with data unread');
        c.destroy();
      }, 20);
    }
  });
  c.on('close', (e) => {
    note('client', 'close', e);
    server.close();
  });
});
