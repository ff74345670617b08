// A connect whose SYNs are all dropped (run in a network namespace of its own, with one
// SYN retry): the socket's idle timeout fires once while it connects, then the connect
// fails with ETIMEDOUT after about 3 s, and the socket closes with an error.
const net = require('net');
const { out } = require('./_lib');

const port = 4000;
const t0 = Date.now();
const c = net.connect(port, '127.0.0.1');
c.setTimeout(300);
c.on('timeout', () => out('timeout', c.connecting, c.readyState));
c.on('connect', () => out('connect'));
c.on('error', (e) => {
  const ms = Date.now() - t0;
  out('error', e.code, e.errno, e.syscall, e.address, e.port === port);
  out('message', e.message);
  out('after 2.5-4.5 s', ms >= 2500 && ms < 4500);
  out('connecting', c.connecting, 'destroyed', c.destroyed);
});
c.on('close', (e) => out('close', e));
