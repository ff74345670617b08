// Ports of test-stream-writable-properties, test-stream-writableState-uncorked-
// bufferedRequestCount and test-stream-writable-clear-buffer (writable side): uncork()
// with no cork leaves writableCorked at 0; each cork() counts one and each uncork() takes
// one, writes staying queued until the last; a write between a partial uncork and the
// last joins the queue; end() while corked uncorks fully. Callbacks once each, in order,
// then `finish`; the peer gets every byte in order.
const net = require('net');
const { out, note } = require('./_lib');
const { serve, code } = require('./_s3');

serve({}, (s) => {
  let got = '';
  s.setEncoding('utf8');
  s.on('data', (d) => (got += d));
  s.on('end', () => note('peer', 'got', got));
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  const st = (what) => out(what, c.writableCorked, c.writableLength);
  const cb = (name) => (e) => out('cb', name, code(e), c.writableCorked);
  c.on('connect', () => {
    st('fresh');
    c.uncork();
    st('uncork at 0');
    c.cork();
    c.cork();
    st('corked twice');
    c.write('first;', cb('first'));
    st('first written');
    c.uncork();
    st('one uncork');
    process.nextTick(() => {
      c.uncork();
      st('last uncork');
      c.cork();
      c.write('third;', cb('third'));
      c.cork();
      c.cork();
      st('corked thrice');
      c.end('end.', cb('end'));
      st('ended');
      c.uncork();
      st('uncork after end');
    });
    c.write('second;', cb('second'));
    st('second written');
  });
  c.on('finish', () => st('finish'));
  c.on('close', () => server.close());
});
