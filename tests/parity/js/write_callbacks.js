// Write callbacks run in write order (on next tick for writes the kernel took at once),
// before finish and the end callback; return values and counters along the way.
const net = require('net');
const { out, note } = require('./_lib');

const server = net.createServer((s) => {
  let got = '';
  s.setEncoding('utf8');
  s.on('data', (d) => (got += d));
  s.on('end', () => note('srvSock', 'got', got));
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => {
    out('write a', c.write('a', (e) => out('cb a', e)));
    out('write b', c.write('b', (e) => out('cb b', e)));
    out('write c', c.write(Buffer.from('c'), (e) => out('cb c', e)));
    c.end(() => out('end cb'));
    out('after end()', c.bytesWritten, c.writableLength, c.writableEnded, c.writableFinished);
    process.nextTick(() => out('next tick'));
  });
  c.on('finish', () => out('finish', c.writableFinished));
  c.on('close', (e) => {
    out('close', e);
    server.close();
  });
});
