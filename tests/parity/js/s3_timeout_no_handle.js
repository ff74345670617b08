// setTimeout() works on a socket that never connects: timeout fires once (the socket is
// left as it is); setTimeout(0) disarms but keeps the timeout property at 0 and the once
// listener of an earlier setTimeout(ms, cb), which the next timeout calls; after destroy,
// setTimeout is a no-op and the property keeps its value.
const net = require('net');
const { out } = require('./_lib');

const s = new net.Socket();
s.setTimeout(30, () => out('callback of the first setTimeout'));
out('timeout', s.timeout);
s.setTimeout(0);
out('after setTimeout(0)', s.timeout, s.listenerCount('timeout'));
s.setTimeout(20);
s.on('timeout', () => {
  out('timeout event', s.timeout, s.destroyed, s.readyState, s.pending);
  s.destroy();
  out('after destroy', s.timeout);
  s.setTimeout(10);
  out('setTimeout on destroyed', s.timeout);
});
s.on('close', () => out('close', s.timeout));
setTimeout(() => out('keep-alive timer'), 100);
