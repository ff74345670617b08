// An error with no listener ends the run as an uncaught exception: destroy(err) on an
// accepted socket that has no error listener.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => {
  out('connection');
  s.destroy(new Error('boom'));
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('error', (e) => out('client error', e.code));
});
setTimeout(() => out('never'), 2000);
