// write() returns what is left queued after trying the kernel: on an idle connection a
// 4 KiB write with highWaterMark 1024 returns true and leaves nothing queued, as do
// 16383 + 1 bytes; callbacks come on next tick, in order.
const net = require('net');
const { out, note } = require('./_lib');
const { serve, code } = require('./_s3');

serve({}, (s) => {
  let n = 0;
  s.on('data', (d) => (n += d.length));
  s.on('end', () => note('srvSock', 'got', n));
}, (server, port) => {
  const c = net.connect({ port, host: '127.0.0.1', highWaterMark: 1024 });
  c.on('connect', () => {
    out('4096', c.write(Buffer.alloc(4096, 97), (e) => out('cb 4096', code(e))), c.writableLength,
      c.writableNeedDrain);
    out('16383', c.write(Buffer.alloc(16383, 98), (e) => out('cb 16383', code(e))),
      c.writableLength);
    out('1', c.write('c', (e) => out('cb 1', code(e))), c.writableLength, c.bytesWritten);
    process.nextTick(() => out('next tick'));
    c.end();
  });
  c.on('drain', () => out('drain'));
  c.on('finish', () => out('finish', c.bytesWritten));
  c.on('close', () => server.close());
});
