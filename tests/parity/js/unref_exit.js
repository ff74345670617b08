// When the run ends: an unref'd server does not hold it (exit right after the 50 ms timer),
// unref then ref does (until closed at 100 ms), and an unref'd timer never fires.
const net = require('net');
const { out } = require('./_lib');

const a = net.createServer();
a.on('listening', () => out('a listening'));
a.listen(0, '127.0.0.1');
a.unref();

const b = net.createServer();
b.unref();
b.on('listening', () => out('b listening'));
b.listen(0, '127.0.0.1');
b.ref();

setTimeout(() => out('timer 50'), 50);
setTimeout(() => {
  out('timer 100; closing b');
  b.close(() => out('b closed'));
}, 100);
setTimeout(() => out('unref timer 200 (never)'), 200).unref();
