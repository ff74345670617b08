// A socket connects again from its own close listener, three times: listeners and the
// encoding stay, byte counters start afresh, close(false) each time (test-net-reconnect).
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => s.pipe(s));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  let n = 0;
  const c = net.connect(port, '127.0.0.1');
  c.setEncoding('utf8');
  c.on('connect', () => {
    out('connect', n, c.readyState, c.bytesRead, c.bytesWritten, c.destroyed);
    c.end('x' + n);
  });
  c.on('data', (d) => out('data', d));
  c.on('end', () => out('end'));
  c.on('finish', () => out('finish'));
  c.on('close', (h) => {
    out('close', h, n, c.bytesRead, c.bytesWritten, c.readyState, c.destroyed);
    if (++n < 3) {
      c.connect(port, '127.0.0.1');
      out('after connect', c.connecting, c.destroyed, c.readyState);
    } else {
      server.close();
    }
  });
});
