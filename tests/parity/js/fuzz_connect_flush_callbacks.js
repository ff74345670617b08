// Found by the differential test (fuzz_socket): writes made while connecting leave at
// connect, the first alone (its callback, if any, runs inside the connect, after `drain`)
// and the rest as one group whose callbacks run on next tick, so after `ready`. Two
// clients: the first write without a callback, then with one.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => s.resume());
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const client = (name, firstCb, then) => {
    const c = net.connect(port, '127.0.0.1');
    c.on('connect', () => out(name, 'connect'));
    c.on('ready', () => out(name, 'ready'));
    c.on('drain', () => out(name, 'drain'));
    c.on('close', () => then());
    const big = Buffer.alloc(70000, 'x');
    out(name, 'write big', firstCb ? c.write(big, () => out(name, 'cb big')) : c.write(big));
    out(name, 'write y', c.write('y', () => out(name, 'cb y')));
    out(name, 'write z', c.write('z', () => out(name, 'cb z')));
    c.on('connect', () => process.nextTick(() => c.end()));
  };
  client('a', false, () => client('b', true, () => server.close()));
});
