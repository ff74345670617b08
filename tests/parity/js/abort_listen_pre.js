// listen({ signal }) with a signal that has already aborted: the server binds (without a
// host, listening is true at once), but is closed on the next tick, before 'listening';
// the same with an IP host and a host name, whose bind never happens.
const net = require('net');
const { out } = require('./_lib');

const hosts = [undefined, '127.0.0.1', 'localhost'];

function one(i) {
  if (i === hosts.length) return;
  const host = hosts[i];
  const ac = new AbortController();
  ac.abort();
  const s = net.createServer();
  s.on('listening', () => out(i, 'listening'));
  s.on('error', (e) => out(i, 'error', e.code));
  s.on('close', () => out(i, 'close', s.listening));
  process.nextTick(() => out(i, 'tick0'));
  const opts = { port: 0, signal: ac.signal };
  if (host) opts.host = host;
  s.listen(opts, () => out(i, 'listen callback'));
  out(i, 'listen returned', s.listening);
  process.nextTick(() => {
    out(i, 'tick1');
    process.nextTick(() => out(i, 'tick2'));
  });
  setImmediate(() => out(i, 'immediate'));
  setTimeout(() => {
    out(i, 'later', s.listening);
    one(i + 1);
  }, 20);
}
one(0);
