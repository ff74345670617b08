// listen({ signal }): aborting a listening server closes it, with no error ('close' on next
// tick); a connection after that is refused, and aborting again does nothing. A second
// server: close() then abort() before 'close' is emitted closes twice, two 'close' events.
const net = require('net');
const { out } = require('./_lib');

const ac = new AbortController();
const server = net.createServer();
server.on('error', (e) => out('server error', e.code));
server.on('close', () => out('server close', server.listening));
server.on('listening', () => {
  out('listening', server.listening);
  const port = server.address().port;
  ac.abort();
  out('aborted', ac.signal.aborted, server.listening, server.address() === null);
  process.nextTick(() => out('tick after abort'));
  setImmediate(() => {
    out('immediate');
    ac.abort();
    const c = net.connect(port, '127.0.0.1');
    c.on('connect', () => out('client connect'));
    c.on('error', (e) => out('client error', e.code));
    c.on('close', (h) => {
      out('client close', h);
      second();
    });
  });
});
server.listen({ port: 0, host: '127.0.0.1', signal: ac.signal });
out('listen returned', server.listening);

function second() {
  const ac2 = new AbortController();
  const s2 = net.createServer();
  s2.on('close', () => out('s2 close', s2.listening));
  s2.on('listening', () => {
    out('s2 listening');
    s2.close();
    ac2.abort();
    out('s2 closed and aborted');
    process.nextTick(() => out('s2 tick'));
  });
  s2.listen({ port: 0, host: '127.0.0.1', signal: ac2.signal });
}
