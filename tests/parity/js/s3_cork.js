// cork()/uncork(): corked writes are held (counted in writableLength, units for strings) and
// leave in one vectored write at the last uncork, callbacks on next tick; end() while
// corked uncorks and sends the rest with the FIN.
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

serve({}, (s) => {
  s.setEncoding('utf8');
  s.on('data', (d) => note('srvSock', 'data', d));
  s.on('end', () => note('srvSock', 'end'));
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  c.on('connect', () => {
    c.cork();
    out('writes', c.write('ab', () => out('cb ab')), c.write(Buffer.from('cd')),
      c.write('é', () => out('cb é')));
    out('corked', c.writableCorked, c.writableLength, c.bytesWritten);
    c.cork();
    c.uncork();
    out('after one uncork', c.writableCorked, c.writableLength);
    setTimeout(() => {
      c.uncork();
      out('after uncork', c.writableCorked, c.writableLength);
      process.nextTick(() => out('next tick'));
      setTimeout(() => {
        c.cork();
        c.cork();
        c.write('e');
        c.write('f');
        c.end('g', () => out('end cb'));
        out('after end', c.writableCorked, c.writableLength, c.writableEnded);
      }, 20);
    }, 20);
  });
  c.on('finish', () => out('finish'));
  c.on('close', () => server.close());
});
