// Writes alone keep the idle timeout off (test-net-timeout2): an accepted socket with
// setTimeout(200) that never receives writes a line every 10 ms, 30 times, and no timeout
// fires; after its last write one fires, at least 200 ms later (give or take the clock);
// it destroys the socket there, and the client gets all 30 lines, end and close.
const net = require('net');
const { out, note } = require('./_lib');

const N = 30;
const server = net.createServer((s) => {
  let writes = 0;
  let last = 0;
  s.setTimeout(200, () => {
    out('server timeout', writes, Date.now() - last >= 190, s.bytesRead);
    s.destroy();
    server.close();
  });
  const t = setInterval(() => {
    s.write(`line ${writes}\n`);
    last = Date.now();
    if (++writes === N) clearInterval(t);
  }, 10);
  s.on('close', (h) => note('server', 'close', h));
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.setEncoding('utf8');
  let got = '';
  c.on('data', (d) => (got += d));
  c.on('end', () => note('client', 'end', got.split('\n').length - 1, got.endsWith(`line ${N - 1}\n`)));
  c.on('close', (h) => note('client', 'close', h));
});
