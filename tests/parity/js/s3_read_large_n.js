// read(n) with n above readableHighWaterMark: the socket had stopped reading at its
// highWaterMark (16 KiB); read(100000) returns null but raises readableHighWaterMark to the
// next power of two (131072) and reading resumes, so a later read(100000) gets the bytes.
const net = require('net');
const { out } = require('./_lib');
const { serve, waitUntil } = require('./_s3');

serve({}, (s) => s.end(Buffer.alloc(100000, 7)), (server, port) => {
  const c = net.connect({ port, host: '127.0.0.1', highWaterMark: 16384 });
  waitUntil(() => c.readableLength >= 16384, () => {
    setTimeout(() => {
      out('stopped at hwm', c.readableLength >= 16384, c.readableLength < 100000,
        c.readableHighWaterMark, c.writableHighWaterMark);
      out('read(100000)', c.read(100000), c.readableHighWaterMark, c.writableHighWaterMark);
      waitUntil(() => c.readableLength >= 100000, () => {
        const b = c.read(100000);
        out('read(100000) later', b.length, c.readableLength);
        c.resume();
      });
    }, 20);
  });
  c.on('end', () => out('end'));
  c.on('close', () => server.close());
});
