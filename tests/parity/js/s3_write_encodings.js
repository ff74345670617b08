// write(string, encoding) for every encoding and some of its names, while connecting:
// writableLength counts each string's length (UTF-16 units, whatever the encoding),
// bytesWritten its encoded bytes; the server receives the encoded bytes, in order.
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

serve({}, (s) => {
  const parts = [];
  s.on('data', (d) => parts.push(d));
  s.on('end', () => note('srvSock', 'got', Buffer.concat(parts).toString('hex')));
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  for (const [str, enc] of [
    ['68656C6c6f', 'hex'], ['aGk=', 'base64'], ['_-8', 'base64url'], ['+/8', 'Base64'],
    ['héllo€', 'latin1'], ['ÿ', 'binary'], ['hé', 'ascii'], ['hi€', 'utf16le'],
    ['ok', 'ucs2'], ['é😀', 'UTF-16LE'], ['é😀', 'utf8'], ['ü', 'UTF-8'],
  ]) {
    const r = c.write(str, enc, (e) => {
      if (e) out('cb', enc, e.code);
    });
    out(enc, JSON.stringify(str), r, c.writableLength, c.bytesWritten);
  }
  c.end();
  c.on('close', () => server.close());
});
