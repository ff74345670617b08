// One socket's idle timeout changing another's (a port of Node's
// test-timers-socket-timeout-removes-other-socket-unref-timer): of two accepted sockets,
// the first times out after 1 ms and turns the second's 50 ms timeout off, then ends both;
// the second's timeout never fires, both clients see their end, and the server closes.
const net = require('net');
const { out } = require('./_lib');

const conns = [];
const server = net.createServer((s) => {
  conns.push(s);
  out(`connection ${conns.length}`);
  if (conns.length === 2) {
    conns[0].setTimeout(1, () => {
      out("first times out, turns the second's timeout off, ends both");
      conns[1].setTimeout(0);
      conns[0].end();
      conns[1].end();
    });
    conns[1].setTimeout(50);
    conns[1].on('timeout', () => out('second times out (never)'));
  }
});
server.listen(0, '127.0.0.1', () => {
  let ended = 0;
  for (let i = 0; i < 2; i++) {
    const c = net.connect(server.address().port, '127.0.0.1');
    c.on('end', () => {
      out('a client sees its end');
      if (++ended === 2) server.close(() => out('server closed'));
    });
  }
});
