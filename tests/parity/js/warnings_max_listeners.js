// MaxListenersExceededWarning (Node's test-event-emitter-max-listeners-warning,
// -check-listener-leaks and -get-max-listeners, on sockets and servers): one warning per
// event once it has more listeners than the limit (10 unless set), given on the next tick;
// again only after the event's listeners went down to one; a limit of 0 means none; a
// socket's own `end` listener counts.
const net = require('net');
const { out } = require('./_lib');

// Node also prints each warning on stderr; this scenario prints them itself.
process.removeAllListeners('warning');
process.on('warning', (w) => out('warning', w.name, w.message.replace('\n', '\\n'), w.type, w.count));

const noop = () => {};
const a = new net.Socket();
out('fresh socket: end listeners', a.listenerCount('end'), 'max', a.getMaxListeners());
for (let i = 0; i < 10; i++) a.on('timeout', noop);
out('10 timeout listeners');
a.on('timeout', noop);
out('11th added');
a.once('timeout', noop);
out('12th added, once');
for (let i = 0; i < 10; i++) a.on('end', noop);
out('10 end listeners of ours', a.listenerCount('end'));
process.nextTick(() => out('a tick queued before the next add'));
a.prependListener('drain', noop);
for (let i = 0; i < 10; i++) a.prependOnceListener('drain', noop);
out('11 drain listeners, prepended');

const b = new net.Socket();
b.setMaxListeners(2);
out('b max', b.getMaxListeners());
const f1 = () => {};
const f2 = () => {};
const f3 = () => {};
b.on('close', f1);
b.on('close', f2);
b.on('close', f3);
b.off('close', f3);
out('b: 3 close listeners, one removed');
b.on('close', f3);
out('b: a third again (still warned)');
b.off('close', f3);
b.off('close', f2);
out('b: down to one');
b.on('close', f2);
b.on('close', f3);
out('b: three again');
b.removeAllListeners('close');
b.on('close', f1);
b.on('close', f2);
b.on('close', f3);
out('b: three after removeAllListeners');
b.setMaxListeners(1);
b.on('connect', f1);
out('b: limit 1, one connect listener');
b.on('connect', f2);
out('b: two');
b.setMaxListeners(1);
b.on('end', f1);
out('b: limit 1, one end listener of ours', b.listenerCount('end'));

const c = new net.Socket();
c.setMaxListeners(0);
for (let i = 0; i < 30; i++) c.on('data', noop);
out('c: limit 0, 30 data listeners', c.listenerCount('data'), 'max', c.getMaxListeners());
c.removeAllListeners('data');

const server = net.createServer();
for (let i = 0; i < 11; i++) server.on('connection', noop);
out('server: 11 connection listeners, max', server.getMaxListeners());
for (let i = 0; i < 11; i++) server.on('error', noop);
out('sync part done');
setImmediate(() => out('immediate'));
