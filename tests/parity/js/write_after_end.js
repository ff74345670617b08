// write() after end(): false, the socket is destroyed at once; the callback then error get
// ERR_STREAM_WRITE_AFTER_END, then close(true).
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => s.resume());
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => {
    c.end();
    out('write', c.write('x', (e) => out('cb', e && e.code, e && e.message)));
    out('writableEnded', c.writableEnded, 'destroyed', c.destroyed);
  });
  c.on('ready', () => out('ready', c.readyState));
  c.on('error', (e) => out('error', e.code, e.message));
  c.on('close', (e) => {
    out('close', e);
    server.close();
  });
});
