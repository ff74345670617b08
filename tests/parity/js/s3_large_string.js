// A large UTF-8 string (40 Ki × 'あ', 120 KiB) written in one call arrives, with
// setEncoding('UTF-8'), as the same 40960 characters (Node's test-net-large-string);
// bytesWritten counts bytes, the peer's bytesRead too.
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

const str = 'あ'.repeat(40 * 1024);
serve({}, (s) => {
  let got = '';
  s.setEncoding('UTF-8');
  s.on('data', (d) => (got += d));
  s.on('end', () => {
    note('srvSock', 'end', got.length, got === str, s.bytesRead);
    s.end();
  });
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  out('write', c.write(str), c.writableLength, c.bytesWritten);
  c.end();
  c.on('close', (e) => {
    note('client', 'close', e, c.bytesWritten);
    server.close();
  });
});
