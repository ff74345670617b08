// Server options applied to each accepted socket before connection: highWaterMark (both
// sides), pauseOnConnect (paused, not reading: bytesRead 0 until resume), allowHalfOpen
// (writable after the client's end), with noDelay, keepAlive and keepAliveInitialDelay
// set, which change nothing visible in the stream.
const net = require('net');
const { out } = require('./_lib');
const { serve } = require('./_s3');

serve({ noDelay: true, keepAlive: true, keepAliveInitialDelay: 1000, highWaterMark: 4096,
  pauseOnConnect: true, allowHalfOpen: true }, (s) => {
  out('connection', s.writableHighWaterMark, s.readableHighWaterMark, s.isPaused(),
    s.readableFlowing, s.allowHalfOpen);
  s.setEncoding('utf8');
  setTimeout(() => {
    out('30 ms later bytesRead', s.bytesRead, s.readableLength);
    s.on('data', (d) => out('data', d, s.isPaused()));
    s.resume();
  }, 30);
  s.on('end', () => {
    out('end', s.readyState, s.writable);
    out('write 8192 bytes', s.write(Buffer.alloc(8192, 98)), s.writableLength);
    s.end('!');
  });
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  c.end('hello');
  let got = 0;
  c.on('data', (d) => (got += d.length));
  c.on('end', () => out('client end', got));
  c.on('close', (e) => {
    out('client close', e);
    server.close();
  });
});
