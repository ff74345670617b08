// A paused client and an unref'd server and accepted socket (test-net-connect-paused-
// connection): with an unref'd timer as the only other thing, the process ends once the
// client is connected and paused: the client's connection, its pause, and nothing later.
const net = require('net');
const { out } = require('./_lib');

net.createServer((conn) => {
  conn.unref();
}).listen(0, '127.0.0.1', function () {
  const c = net.connect(this.address().port, '127.0.0.1').pause();
  c.on('connect', () => out('client connect, paused', c.isPaused()));
  setTimeout(() => out('timer: should not run'), 1000).unref();
}).unref();
