// After close: destroyed, pending again, readyState closed; the byte counters and a remote
// address read while connected are kept, the local address is gone; setNoDelay,
// setKeepAlive, setTimeout, pause, resume, end do not throw and return the socket; write
// after the peer's FIN gives EPIPE to its callback and emits no error.
const net = require('net');
const { out } = require('./_lib');
const { serve, code } = require('./_s3');

serve({}, (s) => s.end('hi'), (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  c.resume();
  c.on('connect', () => out('connected to', c.remoteAddress, c.remoteFamily));
  c.on('error', (e) => out('error', code(e)));
  c.on('close', (e) => {
    out('close', e, c.destroyed, c.pending, c.readyState, c.bytesRead, c.bytesWritten);
    out('addresses', c.remoteAddress, c.remoteFamily, c.localAddress, c.localPort,
      JSON.stringify(c.address()));
    out('calls return this', c.setNoDelay(true) === c, c.setKeepAlive(true, 10) === c,
      c.setTimeout(10) === c, c.pause() === c, c.resume() === c);
    out('write', c.write('x', (err) => {
      out('write cb', code(err), err && err.message);
      out('end returns this', c.end() === c);
      setTimeout(() => {
        out('still', c.destroyed);
        server.close();
      }, 20);
    }));
  });
});
