// Node 24's net.BoundSocket: bound at once (defaults 0.0.0.0, or :: with ipv6Only; ::1
// without it); a host that is not an IP literal and a bad port are refused; bind errors
// are thrown (EADDRINUSE on a port a server listens on, EADDRNOTAVAIL without the port);
// close() returns undefined, and after it, or after an adoption, every call throws
// ERR_SOCKET_HANDLE_ADOPTED. Adopted by a socket: open, not pending, bound port as its
// local port; connect to 'localhost' makes one lookup and one attempt, leaves from the
// bound port, data flows, close(false). An IPv6-bound socket connecting to 127.0.0.1:
// connect EINVAL naming the local side. Adopted by a server: listening at once, the
// bound address, 'listening' next tick. A write before any connect: EPIPE; an end: 'finish', no close. Messages of Node's own errors are ours to word,
// so only their codes are printed; ports are compared, never printed.
const net = require('net');
const { out, portless } = require('./_lib');

const t = (label, f) => {
  try {
    out(label, f());
  } catch (e) {
    out(label, 'throws', e.code, e.syscall);
  }
};
const shape = (a) => `${a.address} ${a.family} ${a.port > 0}`;

t('default', () => shape(new net.BoundSocket().address()));
t('default fd', () => typeof new net.BoundSocket().fd());
t('ipv6Only', () => shape(new net.BoundSocket({ ipv6Only: true }).address()));
t('::1', () => shape(new net.BoundSocket({ host: '::1' }).address()));
t('127.0.0.1 ipv6Only', () => shape(new net.BoundSocket({ host: '127.0.0.1', ipv6Only: true }).address()));
t('reusePort', () => shape(new net.BoundSocket({ host: '127.0.0.1', reusePort: true }).address()));
t('port string', () => shape(new net.BoundSocket({ host: '127.0.0.1', port: '0' }).address()));
t('host localhost', () => new net.BoundSocket({ host: 'localhost' }));
t('host empty', () => new net.BoundSocket({ host: '' }));
for (const port of [70000, -1]) {
  try {
    new net.BoundSocket({ port });
  } catch (e) {
    out(`port ${port} throws`, e.code, e.message);
  }
}
{
  const a = new net.BoundSocket({ host: '127.0.0.1' });
  const b = new net.BoundSocket({ host: '127.0.0.1', port: a.address().port });
  out('same port, no listener', b.address().port === a.address().port);
  a.close();
  b.close();
}

const srv = net.createServer((c) => c.end('hi'));
srv.listen(0, '127.0.0.1', () => {
  const port = srv.address().port;
  try {
    new net.BoundSocket({ host: '127.0.0.1', port });
  } catch (e) {
    out('in use throws', e.code, e.syscall, e.errno, portless(e.message, port));
  }
  try {
    new net.BoundSocket({ host: '10.99.99.99' });
  } catch (e) {
    out('not here throws', e.code, e.syscall, e.errno, e.message);
  }
  const b = new net.BoundSocket({ host: '127.0.0.1' });
  t('close', () => b.close());
  t('close again', () => b.close());
  t('address after close', () => b.address());
  t('fd after close', () => b.fd());
  t('listen after close', () => net.createServer().listen(b));
  t('adopt after close', () => new net.Socket({ handle: b }));

  const cb = new net.BoundSocket({ host: '127.0.0.1' });
  const lp = cb.address().port;
  const c = new net.Socket({ handle: cb });
  out('adopted', c.pending, c.readyState, c.connecting, c.localPort === lp, c.localAddress);
  t('adopt again', () => new net.Socket({ handle: cb }));
  t('address after adopt', () => cb.address());
  c.on('lookup', (err, ip, family) => out('lookup', err, ip, family));
  c.on('connectionAttempt', (ip, p, family) => out('attempt', ip, p === port, family));
  c.on('connect', () => out('connect', c.localPort === lp, c.remoteAddress, c.remotePort === port));
  c.on('data', (d) => out('data', String(d)));
  c.on('error', (e) => out('error', e.code));
  c.on('close', (hadError) => {
    out('close', hadError);
    v6ToV4(port);
  });
  c.connect({ port, host: 'localhost' });
});

function v6ToV4(port) {
  const b6 = new net.BoundSocket({ host: '::1' });
  const lp = b6.address().port;
  const s = new net.Socket({ handle: b6 });
  s.on('connectionAttempt', (ip, p, family) => out('v6 attempt', ip, family));
  s.on('connect', () => out('v6 connected?'));
  s.on('error', (e) => out('v6 error', e.code, e.syscall, e.errno,
    portless(portless(e.message, port), lp)));
  s.on('close', (hadError) => {
    out('v6 close', hadError);
    serverAdopts();
  });
  s.connect(port, '127.0.0.1');
}

function serverAdopts() {
  const b = new net.BoundSocket({ host: '127.0.0.1' });
  const before = JSON.stringify(b.address());
  const s2 = net.createServer();
  s2.on('listening', () => {
    out('listening', JSON.stringify(s2.address()) === before);
    s2.close(() => {
      out('closed');
      srv.close();
      writeUnconnected();
    });
  });
  s2.listen(b);
  out('listening sync', s2.listening, JSON.stringify(s2.address()) === before);
  t('address after listen', () => b.address());
}

// A write on an adopted socket that never connected goes to the kernel, which refuses it.
function writeUnconnected() {
  const s = new net.Socket({ handle: new net.BoundSocket({ host: '127.0.0.1' }) });
  out('write returned', s.write('x', (err) => out('write cb', err && err.code)));
  s.on('error', (e) => out('write error', e.code, e.syscall, e.message));
  s.on('close', (hadError) => {
    out('write close', hadError);
    endUnconnected();
  });
}

// end() on an adopted socket that never connected: the shutdown completes, 'finish'
// comes, and the socket stays (its readable side never ends), without keeping the
// process alive.
function endUnconnected() {
  const s = new net.Socket({ handle: new net.BoundSocket({ host: '127.0.0.1' }) });
  s.on('finish', () => out('end finish', s.destroyed));
  s.on('error', (e) => out('end error', e.code));
  s.on('close', (hadError) => out('end close', hadError));
  s.end(() => out('end cb'));
}
