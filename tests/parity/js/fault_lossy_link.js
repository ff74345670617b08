// 1 MiB sent over a slow link that loses packets (run in a network namespace of its own:
// loopback at 1500 bytes MTU behind a 20 Mbit/s token bucket, and 5% of the packets to the
// server's port dropped at random): the client writes 16 KiB chunks, waiting for `drain`
// whenever write() says so; the server counts and sums what it reads and answers with
// both at the end. Every byte arrives in order, and no error is seen on either side.
const net = require('net');
const { out, note } = require('./_lib');

const port = 5000;
const total = 1024 * 1024;
const chunk = 16 * 1024;
// The byte at offset i: a pattern that shows a lost, doubled or misplaced byte in the sum.
const byteAt = (i) => (i * 31 + (i >> 8)) & 0xff;

const server = net.createServer((s) => {
  let n = 0;
  let sum = 0;
  s.on('data', (d) => {
    for (let i = 0; i < d.length; i++) {
      sum = (sum * 33 + (d[i] ^ byteAt(n + i))) % 1000000007;
    }
    n += d.length;
  });
  s.on('end', () => {
    note('server', 'end', n, sum);
    s.end(`${n} ${sum}`);
  });
  s.on('error', (e) => note('server', 'error', e.code));
  s.on('close', (h) => note('server', 'close', h));
});

server.listen(port, '127.0.0.1', () => {
  const c = net.connect(port, '127.0.0.1');
  let sent = 0;
  let waited = false;
  const pump = () => {
    while (sent < total) {
      const b = Buffer.alloc(chunk);
      for (let i = 0; i < chunk; i++) b[i] = byteAt(sent + i);
      sent += chunk;
      if (!c.write(b)) {
        waited = true;
        return;
      }
    }
    c.end();
  };
  c.on('connect', pump);
  c.on('drain', pump);
  let answer = '';
  c.setEncoding('utf8');
  c.on('data', (d) => (answer += d));
  c.on('finish', () => note('client', 'finish', c.bytesWritten, 'waited for drain', waited));
  c.on('end', () => note('client', 'answer', answer));
  c.on('error', (e) => note('client', 'error', e.code));
  c.on('close', (h) => {
    note('client', 'close', h);
    server.close();
  });
});
