// Errors of bind, as events with Node's fields: a server on an address this host does not
// have (192.0.2.1, TEST-NET-1) gets EADDRNOTAVAIL (syscall listen, the address and port)
// and never listens; a client whose localPort is a listening server's port gets
// EADDRINUSE from bind (the local address and port in the error), then close(true); a
// client connecting to port 0 is refused (no port in the message). A port 0 is no port.
// A client with only a localPort binds the any-address: bind EADDRINUSE 0.0.0.0:P.
const net = require('net');
const { out, portless } = require('./_lib');

const bad = net.createServer();
bad.on('listening', () => out('bad listening'));
bad.on('error', (e) => {
  out('listen error', e.code, e.syscall, e.address, e.port, bad.listening);
  out('message', e.message);
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => {
    const port = s.address().port;
    const c = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.1', localPort: port });
    c.on('connectionAttempt', () => out('bound client attempt'));
    c.on('connectionAttemptFailed', () => out('bound client attempt failed'));
    c.on('connect', () => out('bound client connect'));
    c.on('error', (e) => {
      out('bind error', e.code, e.syscall, e.address, e.port === port);
      out('message', portless(e.message, port));
    });
    c.on('close', (h) => {
      out('bound client close', h);
      s.close();
      const z = net.connect(0, '127.0.0.1');
      z.on('connect', () => out('port 0 connect'));
      z.on('error', (e) => {
        out('port 0 error', e.code, e.syscall, e.address, e.port);
        out('message', e.message);
      });
      z.on('close', (h) => {
        out('port 0 close', h);
        const t = net.createServer();
        t.listen(0, () => {
          const tport = t.address().port;
          const w = net.connect({ port: tport, host: '127.0.0.1', localPort: tport });
          w.on('error', (e) => {
            out('localPort error', e.code, e.syscall, e.address, e.port === tport);
            out('message', portless(e.message, tport));
          });
          w.on('close', (h) => {
            out('localPort close', h);
            t.close();
          });
        });
      });
    });
  });
});
bad.listen(0, '192.0.2.1');
