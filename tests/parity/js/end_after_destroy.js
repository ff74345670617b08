// A known difference, found by the differential test (fuzz_socket, seed 1 case 6):
// end() on a socket destroyed without an error (close not yet emitted) still marks
// Node's stream as ending, and its callback is kept for a `finish` that never comes: it
// is never called; a write after it fails with ERR_STREAM_WRITE_AFTER_END. nodenet calls
// the end callback with ERR_STREAM_DESTROYED and fails the write with
// ERR_STREAM_DESTROYED.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => s.resume());
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => {
    c.destroy();
    c.end((e) => out('end cb', e && e.code));
    out('writableEnded', c.writableEnded);
    c.write('x', (e) => out('write cb', e && e.code));
  });
  c.on('close', (h) => {
    out('close', h);
    setTimeout(() => server.close(), 10);
  });
});
