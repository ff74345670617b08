// A half-open client keeps writing after the peer destroyed its socket: the first write is
// taken by the kernel (the peer answers with RST), a later one fails with the kernel's
// EPIPE ("write EPIPE"): callback, then error, then close(true). No SIGPIPE.
const net = require('net');
const { out } = require('./_lib');
const { serve, code } = require('./_s3');

serve({}, (s) => s.destroy(), (server, port) => {
  const c = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  c.resume();
  c.on('end', () => {
    out('end', c.readyState, c.writable);
    out('write 1', c.write('a', (e) => out('cb 1', code(e))));
    setTimeout(() => {
      out('write 2', c.write('b', (e) => out('cb 2', code(e), e && e.message, e && e.syscall)));
      out('destroyed', c.destroyed);
    }, 30);
  });
  c.on('error', (e) => out('error', code(e), e.message));
  c.on('close', (e) => {
    out('close', e);
    server.close();
  });
});
