// Two servers on one port: the second gets EADDRINUSE on next tick, with no close, and may
// listen again.
const net = require('net');
const { out, portless } = require('./_lib');

const s1 = net.createServer();
const s2 = net.createServer();
s1.on('close', () => out('s1 close'));
s2.on('close', () => out('s2 close'));
s1.listen(0, '127.0.0.1', () => {
  out('s1 listening');
  const port = s1.address().port;
  s2.once('error', (e) => {
    out('s2 error', e.code, e.errno, e.syscall, e.address, e.port === port);
    out('message', portless(e.message, port));
    out('s2 listening', s2.listening, 'address', s2.address());
    s2.listen(0, '127.0.0.1', () => {
      out('s2 listening', s2.listening, s2.address().port !== port);
      s1.close();
      s2.close();
    });
  });
  s2.listen(port, '127.0.0.1');
  out('s2.listen returned; listening', s2.listening);
});
