// bytesWritten counts both parts of a large write: what the kernel took at once and what
// waits in the queue (test-net-bytes-written-large): 10 MB as a buffer through end(), as a
// string through end(), and a corked string plus a buffer (one writev) then end(''). Each
// count right after the call, in end's callback, and the client's bytesRead at its close.
const net = require('net');
const { out, note } = require('./_lib');

const N = 10000000;
const variants = [
  ['buffer', (s, done) => {
    s.end(Buffer.alloc(N), () => done(s.bytesWritten));
    return [s.bytesWritten];
  }],
  ['string', (s, done) => {
    s.end('a'.repeat(N), () => done(s.bytesWritten));
    return [s.bytesWritten];
  }],
  ['corked writev', (s, done) => {
    s.cork();
    s.write('a'.repeat(N));
    const first = s.bytesWritten;
    s.write(Buffer.alloc(N));
    const second = s.bytesWritten;
    s.end('', () => done(s.bytesWritten));
    s.uncork();
    return [first, second];
  }],
];

function run(i) {
  if (i === variants.length) return;
  const [name, write] = variants[i];
  const server = net.createServer((s) => {
    const counts = write(s, (n) => note(`${name} server`, 'end callback', n));
    note(`${name} server`, 'after the calls', ...counts);
  });
  server.listen(0, '127.0.0.1', () => {
    const c = net.connect(server.address().port, '127.0.0.1');
    c.resume();
    c.on('close', () => {
      out(name, 'client close, bytesRead', c.bytesRead);
      server.close(() => run(i + 1));
    });
  });
}
run(0);
