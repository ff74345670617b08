// latin1/binary round trip through an echo server: a string of all 256 code points
// U+0000..U+00FF written as 'binary' comes back, decoded as 'latin1', unchanged
// (Node's test-net-binary); one byte per character on the wire.
const net = require('net');
const { out } = require('./_lib');
const { serve } = require('./_s3');

let str = '';
for (let i = 0; i < 256; i++) str += String.fromCharCode(i);
serve({}, (s) => s.pipe(s), (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  c.setEncoding('latin1');
  let got = '';
  c.on('data', (d) => (got += d));
  out('write', c.write(str, 'binary'), c.writableLength, c.bytesWritten);
  c.write(str, 'latin1');
  c.end();
  c.on('end', () => out('end', got.length, got === str + str, c.bytesRead));
  c.on('close', () => server.close());
});
