// 100 rounds of cork, two 2-byte writes, uncork: every write returns true, nothing stays
// queued after uncork, all 400 bytes arrive (Node's test-net-sync-cork).
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

serve({}, (s) => {
  let n = 0;
  s.on('data', (d) => (n += d.length));
  s.on('end', () => note('srvSock', 'got', n));
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  c.on('connect', () => {
    let allTrue = true;
    let maxLength = 0;
    for (let i = 0; i < 100; i++) {
      c.cork();
      allTrue = c.write(Buffer.from('ab')) && allTrue;
      allTrue = c.write('cd') && allTrue;
      maxLength = Math.max(maxLength, c.writableLength);
      c.uncork();
      if (c.writableLength !== 0) allTrue = false;
    }
    out('all true', allTrue, 'corked length', maxLength, 'bytesWritten', c.bytesWritten);
    c.end();
  });
  c.on('close', (e) => {
    out('close', e);
    server.close();
  });
});
