// A local port held in TIME_WAIT (run in a network namespace of its own, fixed ports,
// tcp_tw_reuse off): the client connects from local port 45002 and closes first, so its
// side of the connection waits in TIME_WAIT. Binding that port again works, as libuv sets
// SO_REUSEADDR before the bind (without it the bind fails with EADDRINUSE): a connect
// from it to another server goes through, and so does one to the first server again.
const net = require('net');
const { out, note } = require('./_lib');

const localPort = 45002;
const servers = [5000, 5001].map((port) => {
  const s = net.createServer((c) => {
    note('server ' + port, 'connection', c.remotePort === localPort);
    c.write('hi');
  });
  s.listen(port, '127.0.0.1');
  return s;
});

function from(port, then) {
  const c = net.connect({ port, host: '127.0.0.1', localPort });
  c.on('connect', () => out('connect', port, c.localPort === localPort));
  c.on('data', (d) => {
    out('data', port, d);
    c.end();
  });
  c.on('end', () => out('end', port));
  c.on('error', (e) => out('error', port, e.code, e.syscall, e.address, e.port, e.message));
  c.on('close', (h) => {
    out('close', port, h);
    then();
  });
}

servers[1].on('listening', () => {
  from(5000, () =>
    from(5001, () =>
      from(5000, () => {
        for (const s of servers) s.close();
      })));
});
