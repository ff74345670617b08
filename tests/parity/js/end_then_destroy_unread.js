// end() then destroy() in the same tick on a socket with data left unread: the FIN of the
// end() is not sent in the call (the shutdown waits for the loop's pending phase), so the
// destroy closes with the data unread and the kernel answers with a reset alone: the
// client sees ECONNRESET, not an end. (Found by the server-side fuzz test.)
const net = require('net');
const { out, note } = require('./_lib');

const server = net.createServer({ pauseOnConnect: true }, (s) => {
  s.on('close', (h) => note('server', 'close', h, 'bytesRead', s.bytesRead));
  setTimeout(() => {
    s.end();
    s.destroy();
    out('ended and destroyed', s.destroyed);
    server.close(() => out('server closed'));
  }, 30);
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => c.write('hello'));
  c.on('end', () => note('client', 'end'));
  c.on('error', (e) => note('client', 'error', e.code));
  c.on('close', (h) => note('client', 'close', h));
});
