// Aborting the signal of a connected client, with a reason: 'error' AbortError whose cause
// is the reason, on next tick, then 'close' true in the close phase; the server's socket
// sees the peer go. Aborting again after the close does nothing.
const net = require('net');
const { out, note } = require('./_lib');

const server = net.createServer((s) => {
  s.on('end', () => note('srvSock', 'end'));
  s.on('error', (e) => note('srvSock', 'error', e.code));
  s.on('close', (h) => {
    note('srvSock', 'close', h);
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const ac = new AbortController();
  const c = net.connect({ port: server.address().port, host: '127.0.0.1', signal: ac.signal });
  c.on('connect', () => {
    out('connect', c.readyState);
    setTimeout(() => {
      ac.abort(new Error('why'));
      out('aborted', c.destroyed, c.readyState);
      process.nextTick(() => out('tick'));
      setImmediate(() => out('immediate'));
    }, 10);
  });
  c.on('error', (e) => {
    out('error', e.code, e.name, e.message, '/', e.cause.name, e.cause.message, c.destroyed);
  });
  c.on('close', (h) => {
    out('close', h, c.readyState);
    ac.abort(new Error('again'));
    out('reason kept', ac.signal.reason.message);
  });
});
