// highWaterMark 0 on a connecting client: every write returns false but is kept and counted
// once in bytesWritten; end('moi') leaves it opening; the server gets every byte, in order.
const net = require('net');
const { out, note } = require('./_lib');
const { serve, code } = require('./_s3');

serve({}, (s) => {
  let got = '';
  s.setEncoding('utf8');
  s.on('data', (d) => (got += d));
  s.on('end', () => note('srvSock', 'got', got, s.bytesRead));
}, (server, port) => {
  const c = net.connect({ port, host: '127.0.0.1', highWaterMark: 0 });
  out('connecting', c.pending, c.connecting, c.readyState, c.writableHighWaterMark);
  out('write', c.write('hello ', (e) => out('cb 1', code(e))), c.writableLength, c.bytesWritten);
  out('write', c.write(Buffer.from('wörld '), (e) => out('cb 2', code(e))), c.writableLength,
    c.bytesWritten, c.writableNeedDrain);
  c.end('moi', (e) => out('end cb', code(e)));
  out('after end', c.readyState, c.writableEnded, c.writableLength, c.bytesWritten);
  c.on('connect', () => out('connect', c.readyState, c.pending, c.connecting));
  c.on('drain', () => out('drain'));
  c.on('finish', () => out('finish', c.writableLength, c.bytesWritten));
  c.on('close', (e) => {
    out('close', e, c.pending, c.bytesWritten);
    server.close();
  });
});
