// pipe() with backpressure: an echo server pipes each socket into itself while the client
// sends 16 MiB and reads nothing for 100 ms: the echo's writes fill up, so the pipe pauses
// its source (which stops reading, pushing back on the client), and resumes it on drain;
// every byte comes back in order.
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

const TOTAL = 16 << 20;
serve({}, (s) => {
  let paused = false;
  s.pipe(s);
  const check = setInterval(() => {
    if (s.isPaused()) paused = true;
  }, 1);
  s.on('end', () => {
    clearInterval(check);
    note('srvSock', 'end; source paused at some point', paused);
  });
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  c.pause();
  let got = 0;
  let same = true;
  c.on('data', (d) => {
    for (let i = 0; i < d.length; i += 4096) if (d[i] !== ((got + i) & 0xff)) same = false;
    got += d.length;
  });
  let blocked = false;
  c.on('connect', () => {
    const chunk = Buffer.alloc(64 * 1024);
    for (let i = 0; i < chunk.length; i++) chunk[i] = i & 0xff;
    for (let off = 0; off < TOTAL; off += chunk.length) {
      if (!c.write(chunk)) blocked = true;
    }
    c.end();
    note('client', 'writes returned false', blocked);
    setTimeout(() => c.resume(), 100);
  });
  c.on('end', () => note('client', 'end; got all', got === TOTAL, 'in order', same));
  c.on('close', (e) => {
    note('client', 'close', e);
    server.close();
  });
});
