// A socket made with a signal that has already aborted: 'error' AbortError on the next tick
// (after the ticks queued before the socket was made, before those queued after), then
// 'close'. Made by new net.Socket({ signal }) and left alone, then by net.connect({ signal }).
//
// Node 24 and nodenet part ways here, so the trace leaves out what differs: Node does not
// destroy the socket (the stream layer emits 'error' and a 'close' with no argument, which
// is why 'close' prints none here), and its connect goes on: here to a port nobody listens
// on, where it fails quietly (no second 'error') with a second 'close', true, that the
// `once` below does not print. nodenet destroys the socket: 'close' true, and the connect
// never starts (tests/abort_signal.rs checks that).
const net = require('net');
const { out, REFUSED_PORT } = require('./_lib');

function one(how, next) {
  const ac = new AbortController();
  ac.abort(new Error('early'));
  process.nextTick(() => out(how, 'tick0'));
  const c = how === 'made'
    ? new net.Socket({ signal: ac.signal })
    : net.connect({ port: REFUSED_PORT, host: '127.0.0.1', signal: ac.signal });
  out(how, 'returned');
  c.on('error', (e) => out(how, 'error', e.code, e.name, e.message, '/', e.cause.message));
  c.once('close', () => {
    out(how, 'close');
    setTimeout(next, 20);
  });
  process.nextTick(() => {
    out(how, 'tick1');
    process.nextTick(() => out(how, 'tick2'));
  });
  setImmediate(() => out(how, 'immediate'));
}

one('made', () => one('connect', () => {}));
