// destroySoon() with megabytes still queued for a client that reads nothing yet: the
// socket ends at once (writableEnded) but is destroyed only once every byte has been
// flushed and finish has come; the client, resuming 50 ms later, gets all of them.
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

const TOTAL = 8 << 20;
serve({}, (s) => {
  s.write(Buffer.alloc(TOTAL, 100));
  s.destroySoon();
  note('srvSock', 'after destroySoon()', s.destroyed, s.writableEnded, s.readyState,
    s.writableLength > 0);
  s.on('finish', () => note('srvSock', 'finish', s.destroyed, s.writableLength));
  s.on('close', (e) => note('srvSock', 'close', e, s.bytesWritten));
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  c.pause();
  setTimeout(() => {
    let got = 0;
    c.on('data', (d) => (got += d.length));
    c.on('end', () => note('client', 'end; got all', got === TOTAL));
    c.resume();
  }, 50);
  c.on('close', (e) => {
    note('client', 'close', e);
    server.close();
  });
});
