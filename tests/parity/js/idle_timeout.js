// setTimeout(60): one timeout per idle period, the socket left open; activity re-arms it;
// setTimeout(0) disarms it.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => {
  s.on('data', (d) => out('server data', d.toString()));
  s.on('end', () => s.end());
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  out('timeout prop', c.timeout);
  c.setTimeout(60, () => out('setTimeout callback'));
  out('timeout prop', c.timeout);
  let n = 0;
  c.on('timeout', () => {
    n++;
    out('timeout', n, c.destroyed, c.readyState);
    if (n === 1) {
      setTimeout(() => c.write('ping'), 150);
    } else {
      c.setTimeout(0);
      setTimeout(() => c.end(), 150);
    }
  });
  c.on('close', (e) => {
    out('close', e);
    server.close();
  });
});
