// Byte counters as Node counts them: bytesWritten counts a write's bytes as soon as it is
// queued (corked writes before connect: 'one' + 'twø' = 7), writableLength counts UTF-16
// units (6); both sides' counters at every step; bytesRead grows with each data event,
// equals the total at end, and both survive the close.
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

serve({}, (s) => {
  let total = 0;
  let growing = true;
  s.on('data', (d) => {
    total += d.length;
    if (s.bytesRead !== total) growing = false;
  });
  s.on('end', () => {
    note('srvSock', 'end', s.bytesRead, 'tracks data', growing);
    s.end(Buffer.alloc(300000, 1));
    note('srvSock', 'after end(300000 bytes)', s.bytesWritten);
  });
  s.on('close', () => note('srvSock', 'close', s.bytesRead, s.bytesWritten));
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  c.cork();
  c.write('one');
  c.write('twø');
  out('before connect', c.bytesWritten, c.writableLength);
  c.on('connect', () => {
    out('connect', c.bytesWritten, c.writableLength);
    c.uncork();
    c.end();
  });
  c.on('finish', () => out('finish', c.bytesWritten, c.writableLength));
  let n = 0;
  c.on('data', (d) => (n += d.length));
  c.on('end', () => out('end', c.bytesRead, n === c.bytesRead));
  c.on('close', () => {
    out('close', c.bytesRead, c.bytesWritten);
    server.close();
  });
});
