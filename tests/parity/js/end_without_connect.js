// end(cb) on a socket never connected finishes at once; destroy() on it closes on next tick.
const net = require('net');
const { out } = require('./_lib');

const s = new net.Socket();
s.on('finish', () => out('finish'));
s.on('close', () => out('close'));
s.end(() => {
  out('end cb', s.writable, s.writableFinished);
  s.destroy();
  out('after destroy', s.destroyed);
});
out('after end()', s.writable, s.writableEnded);
