// read(n) in paused mode: once the 11 bytes of `hello world` are buffered, read(5) takes 5,
// read(0) and read(100) (more than buffered, no FIN yet) give null, read() the rest; each
// read emits data; with setEncoding, n and readableLength count characters. end follows the
// server's FIN once the buffer is empty.
const net = require('net');
const { out } = require('./_lib');
const { serve, waitUntil } = require('./_s3');

const sockets = [];
serve({}, (s) => {
  sockets.push(s);
  s.write(sockets.length === 1 ? 'hello world' : 'héllo wörld');
}, (server, port) => {
  const round = (name, enc, then) => {
    const c = net.connect(port, '127.0.0.1');
    if (enc) c.setEncoding(enc);
    c.on('data', (d) => out(name, 'data', d));
    c.pause();
    c.on('end', () => out(name, 'end', c.readableLength));
    c.on('close', (e) => {
      out(name, 'close', e);
      then();
    });
    waitUntil(() => c.readableLength === 11, () => {
      out(name, 'buffered', c.readableLength, c.readableFlowing, c.isPaused());
      out(name, 'read(2)', c.read(2), c.readableLength);
      out(name, 'read(0)', c.read(0), c.readableLength);
      out(name, 'read(100)', c.read(100), c.readableLength);
      out(name, 'read()', c.read(), c.readableLength);
      out(name, 'read() again', c.read());
      sockets[sockets.length - 1].end();
    });
  };
  round('bytes:', null, () => round('utf8:', 'utf8', () => server.close()));
});
