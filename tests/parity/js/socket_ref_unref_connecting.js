// ref()/unref() of a client before it connects are kept for the connection: a client
// unref'd then ref'd holds the run until it is done (it sends `h`, the server answers 50 ms
// later and ends); one only unref'd, never answered, does not: the run ends once the first
// is closed, and the second never closes. The server and its accepted sockets are unref'd.
const net = require('net');
const { note } = require('./_lib');

const server = net.createServer((s) => {
  s.unref();
  s.on('data', () => setTimeout(() => s.end('hi'), 50).unref());
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const held = net.connect(port, '127.0.0.1');
  held.unref();
  held.ref();
  held.on('connect', () => {
    note('held', 'connect');
    held.write('h');
    const loose = net.connect(port, '127.0.0.1');
    loose.unref();
    loose.on('connect', () => note('loose', 'connect'));
    loose.on('data', (d) => note('loose', 'data', d));
    loose.on('close', (h) => note('loose', 'close', h));
  });
  held.on('data', (d) => note('held', 'data', d));
  held.on('end', () => note('held', 'end'));
  held.on('close', (h) => note('held', 'close', h));
});
server.unref();
