// Backpressure: the peer does not read (pauseOnConnect); the client writes 64 KiB chunks
// until write() returns false, then one more byte (false too); the peer resumes 100 ms
// later; drain comes once, before the callback of the extra write.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer({ pauseOnConnect: true }, (s) => {
  let got = 0;
  s.on('data', (d) => (got += d.length));
  setTimeout(() => {
    out('server resumes; bytesRead', s.bytesRead);
    s.resume();
  }, 100);
  s.on('end', () => {
    out('server end; all bytes', got === total);
    server.close();
  });
});
let total = 0;
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => {
    const chunk = Buffer.alloc(64 * 1024, 97);
    let n = 0;
    let first = true;
    while (n < 10000) {
      n++;
      total += chunk.length;
      const ok = c.write(chunk, first ? () => out('cb of write 1') : undefined);
      first = false;
      if (!ok) break;
    }
    out('write returned false; writableLength >= hwm', c.writableLength >= c.writableHighWaterMark,
      'needDrain', c.writableNeedDrain);
    total += 1;
    out('one more write', c.write('x', () => out('cb of the extra write')));
    c.on('drain', () => {
      out('drain; writableLength', c.writableLength, 'bytesWritten ok', c.bytesWritten === total);
      c.end();
    });
  });
  c.on('close', (e) => out('client close', e));
});
