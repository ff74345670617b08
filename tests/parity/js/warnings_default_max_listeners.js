// The process's default listener limit (Node's EventEmitter.defaultMaxListeners, from
// test-event-emitter-check-listener-leaks): it holds for every emitter that has not set
// its own, read when a listener is added, so a change reaches emitters made before it.
const net = require('net');
const events = require('events');
const { out } = require('./_lib');

process.removeAllListeners('warning');
process.on('warning', (w) => out('warning', w.message));

const noop = () => {};
events.defaultMaxListeners = 3;
const a = new net.Socket();
const b = new net.Socket();
b.setMaxListeners(5);
out('default 3: a max', a.getMaxListeners(), 'b max', b.getMaxListeners());
for (let i = 0; i < 4; i++) a.on('data', noop);
for (let i = 0; i < 4; i++) b.on('close', noop);
out('4 listeners each');
events.defaultMaxListeners = 44;
out('default 44: a max', a.getMaxListeners());
for (let i = 0; i < 4; i++) a.on('drain', noop);
const server = net.createServer();
for (let i = 0; i < 11; i++) server.on('connection', noop);
out('a: 4 drain listeners, server: 11 connection listeners');
events.defaultMaxListeners = 10;
out('default back to', events.defaultMaxListeners);
a.destroy();
b.destroy();
