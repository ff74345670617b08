// setNoDelay() and setKeepAlive() before connect (applied once connected), after connect,
// and as connect options (noDelay, keepAlive, keepAliveInitialDelay): each call returns the
// socket, and the connection keeps working: an echo round trip, both ends still open 60 ms
// later with a 50 ms keep-alive delay (Node's test-net-keepalive, -persistent-keepalive).
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

serve({}, (s) => {
  s.pipe(s);
  out('server side', s.setKeepAlive(true, 50) === s, s.setNoDelay() === s);
}, (server, port) => {
  const c = new net.Socket();
  out('before connect', c.setNoDelay() === c, c.setKeepAlive(true, 400) === c,
    c.setNoDelay(false) === c, c.setNoDelay(true) === c);
  c.connect(port, '127.0.0.1');
  c.setEncoding('utf8');
  c.on('connect', () => {
    out('after connect', c.setNoDelay(false) === c, c.setKeepAlive(false) === c,
      c.setKeepAlive(true, 1500) === c, c.setNoDelay(true) === c);
    c.write('ping');
  });
  c.once('data', (d) => {
    out('echo', d);
    setTimeout(() => {
      out('60 ms later', c.readyState);
      const d2 = net.connect({ port, host: '127.0.0.1', noDelay: true, keepAlive: true,
        keepAliveInitialDelay: 456123 });
      d2.setEncoding('utf8');
      d2.on('connect', () => d2.end('pong'));
      d2.on('data', (x) => out('options client echo', x));
      d2.on('close', (e) => {
        out('options client close', e);
        c.end();
      });
    }, 60);
  });
  c.on('close', (e) => {
    out('close', e);
    server.close();
  });
});
