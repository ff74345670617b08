// allowHalfOpen as a client option only: the server (default) ends first with `bye`; the
// client gets end and stays writable (writeOnly), writes `late` 20 ms later, which the
// server, already finished, still reads before its end; then both close.
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

serve({}, (s) => {
  s.setEncoding('utf8');
  s.end('bye');
  s.on('data', (d) => note('srvSock', 'data', d, s.readyState));
  s.on('end', () => note('srvSock', 'end', s.readyState));
  s.on('close', (e) => note('srvSock', 'close', e));
}, (server, port) => {
  const c = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  out('allowHalfOpen', c.allowHalfOpen);
  c.setEncoding('utf8');
  c.on('data', (d) => out('data', d));
  c.on('end', () => {
    out('end', c.readyState, c.writable, c.readable, c.writableEnded);
    setTimeout(() => {
      out('write late', c.write('late'), c.readyState);
      c.end();
      out('after end()', c.readyState);
    }, 20);
  });
  c.on('finish', () => out('finish'));
  c.on('close', (e) => {
    out('close', e);
    server.close();
  });
});
