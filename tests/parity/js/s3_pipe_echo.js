// The echo idiom socket.pipe(socket): the client sends 1 MiB in 16 KiB writes and ends;
// every byte comes back; the client's end reaches the server, whose pipe ends its side, and
// both close without error.
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

const TOTAL = 1 << 20;
serve({}, (s) => {
  out('pipe returns dest', s.pipe(s) === s);
  s.on('end', () => note('srvSock', 'end', s.bytesRead));
  s.on('finish', () => note('srvSock', 'finish', s.bytesWritten));
  s.on('close', (e) => note('srvSock', 'close', e));
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  let got = 0;
  let same = true;
  c.on('data', (d) => {
    for (let i = 0; i < d.length; i++) if (d[i] !== (got + i) % 251) same = false;
    got += d.length;
  });
  c.on('connect', () => {
    const chunk = Buffer.alloc(16 * 1024);
    for (let off = 0; off < TOTAL; off += chunk.length) {
      for (let i = 0; i < chunk.length; i++) chunk[i] = (off + i) % 251;
      c.write(Buffer.from(chunk));
    }
    c.end();
  });
  c.on('end', () => note('client', 'end; got', got, 'same bytes', same));
  c.on('close', (e) => {
    note('client', 'close', e);
    server.close();
  });
});
