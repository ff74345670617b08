// close() on a server that is not listening: close is still emitted, the callback gets
// ERR_SERVER_NOT_RUNNING; and a second close() right after a first one emits close again.
const net = require('net');
const { out } = require('./_lib');

const a = net.createServer();
a.on('close', () => out('a close'));
a.close((err) => out('a close cb', err && err.code, err && err.message));
out('a close() returned');

setTimeout(() => {
  const b = net.createServer();
  b.on('close', () => out('b close'));
  b.listen(0, '127.0.0.1', () => {
    out('b listening');
    b.close((err) => out('b close#1 cb', err && err.code));
    b.close((err) => out('b close#2 cb', err && err.code));
  });
}, 10);
