// A signal that aborts after its socket or its server has closed changes nothing: no event.
const net = require('net');
const { out } = require('./_lib');

const sac = new AbortController();
const server = net.createServer((s) => s.end());
server.on('close', () => {
  out('server close');
  setTimeout(() => {
    sac.abort();
    out('server signal aborted after close', server.listening);
  }, 5);
});
server.listen({ port: 0, host: '127.0.0.1', signal: sac.signal }, () => {
  const ac = new AbortController();
  const c = net.connect({ port: server.address().port, host: '127.0.0.1', signal: ac.signal });
  c.on('connect', () => out('connect'));
  c.on('end', () => out('end'));
  c.on('error', (e) => out('error', e.code));
  c.on('close', (h) => {
    out('close', h);
    setTimeout(() => {
      ac.abort();
      out('socket signal aborted after close', c.destroyed);
      server.close();
    }, 5);
  });
});
