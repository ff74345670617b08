// A slow reader (test-net-write-slow): the server writes ten 200,000-byte buffers with
// callbacks and ends, with an idle timeout of 9,999 ms it clears once all are flushed; the
// client pauses 20 ms after every chunk. Every callback runs once, in order, every byte
// arrives, `end` comes, and the timeout never fires while the writes drain.
const net = require('net');
const { out, note } = require('./_lib');

const SIZE = 200000;
const N = 10;
const server = net.createServer((socket) => {
  socket.setNoDelay();
  socket.setTimeout(9999);
  socket.on('timeout', () => note('server', 'timeout'));
  const order = [];
  for (let i = 0; i < N; ++i) {
    socket.write(Buffer.alloc(SIZE, 'a'), () => {
      order.push(i);
      if (order.length === N) {
        socket.setTimeout(0);
        note('server', 'flushed', order.join(','));
      }
    });
  }
  socket.end();
});
server.listen(0, '127.0.0.1', () => {
  const conn = net.connect(server.address().port, '127.0.0.1');
  let received = 0;
  let allA = true;
  conn.on('data', (buf) => {
    received += buf.length;
    if (!buf.every((b) => b === 97)) allA = false;
    conn.pause();
    setTimeout(() => conn.resume(), 20);
  });
  conn.on('end', () => {
    out('client end', received, allA);
    server.close();
  });
});
