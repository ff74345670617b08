// 50,000 writes of 11 bytes with callbacks, made at once on connect, then end() (test-net-
// write-callbacks): every callback runs once, in write order, all before finish and the end
// callback; no drain (end() came first); the peer gets every byte and then its end.
const net = require('net');
const { out, note } = require('./_lib');

const N = 50000;
const server = net.createServer((s) => {
  let got = 0;
  s.on('data', (d) => (got += d.length));
  s.on('end', () => {
    note('server', 'end', got, got === N * 11);
    s.destroy();
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  let calls = 0;
  let inOrder = true;
  let twice = 0;
  let drains = 0;
  c.on('connect', () => {
    for (let i = 0; i < N; i++) {
      let called = false;
      c.write('hello world', (e) => {
        if (called) twice++;
        called = true;
        if (e || calls !== i) inOrder = false;
        calls++;
      });
    }
    c.end(() => out('end callback', calls));
    out('queued', c.writableEnded, c.writableFinished);
  });
  c.on('drain', () => drains++);
  c.on('finish', () => out('finish', calls, inOrder, twice, 'drains', drains, c.bytesWritten));
  c.on('close', (h) => out('close', h, calls));
});
