// The client ended first and writes inside its end handler, after the peer's FIN: EPIPE
// "This socket has been ended by the other party", to the callback then as error.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => s.resume());
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => c.end());
  c.on('finish', () => out('finish'));
  c.on('end', () => {
    out('end');
    out('write', c.write('late', (e) => out('cb', e && e.code, e && e.message)));
  });
  c.on('error', (e) => out('error', e.code, e.message));
  c.on('close', (e) => {
    out('close', e);
    server.close();
  });
});
