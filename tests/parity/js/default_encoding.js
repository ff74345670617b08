// Node's setDefaultEncoding: strings written without an encoding are encoded with the
// default (hex, latin1, utf16le, base64), while connecting and corked too; an explicit
// encoding wins; `writableLength` counts a string's UTF-16 units and `bytesWritten` the
// bytes; end(string) uses it; a reconnect keeps it; setting utf8 again restores it; the
// `defaultEncoding` option of a new socket sets it. The server prints each connection's
// bytes in hex.
const net = require('net');
const { out } = require('./_lib');

let conns = 0;
const server = net.createServer((s) => {
  const n = ++conns;
  const got = [];
  s.on('data', (d) => got.push(d));
  s.on('end', () => {
    out('server got', n, Buffer.concat(got).toString('hex'));
    s.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const c = net.connect(port, '127.0.0.1');
  out('returns the socket', c.setDefaultEncoding('hex') === c);
  c.write('6869');
  out('while connecting', c.writableLength, c.bytesWritten);
  c.once('connect', () => {
    c.write('7a7a', (e) => out('write cb', e));
    c.write('zz', 'utf8');
    c.setDefaultEncoding('latin1');
    c.write('é');
    c.setDefaultEncoding('utf16le');
    c.write('A');
    c.cork();
    c.setDefaultEncoding('hex');
    c.write('00ff');
    out('corked', c.writableLength, c.bytesWritten);
    c.uncork();
    c.setDefaultEncoding('base64');
    out('after', c.writableLength, c.bytesWritten);
    c.once('finish', () => out('finish', c.bytesWritten));
    c.end('d29ybGQ=');
  });
  let round = 0;
  c.on('close', () => {
    out('close', round, c.bytesWritten);
    if (round++ > 0) {
      // The `defaultEncoding` option of a new socket.
      const d = net.connect({ port, host: '127.0.0.1', defaultEncoding: 'base64' });
      d.end('b2s=');
      d.on('close', () => server.close());
      return;
    }
    c.connect(port, '127.0.0.1', () => {
      c.write('aGk=');
      c.setDefaultEncoding('utf8');
      c.end('!');
    });
  });
});
