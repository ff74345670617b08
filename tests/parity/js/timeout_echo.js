// An accepted socket's idle timeout (150 ms) while it echoes (test-net-timeout): the
// client sends a line 10 ms after each echo, five times, and no timeout fires; once it
// stops, one fires, at least 150 ms after the last echo (give or take the clock); the
// server destroys the socket there, and the client (setTimeout(0): no timeout) gets end,
// ends, and closes without error.
const net = require('net');
const { out, note } = require('./_lib');

const LINE = 'hello\r\n';
const server = net.createServer((s) => {
  s.setTimeout(150);
  let echoes = 0;
  let last = 0;
  s.on('data', (d) => {
    echoes++;
    s.write(d);
    last = Date.now();
  });
  s.on('timeout', () => {
    out('server timeout', echoes, Date.now() - last >= 140, s.readyState);
    s.destroy();
  });
  s.on('end', () => s.end());
  s.on('error', (e) => note('server', 'error', e.code));
  s.on('close', (h) => note('server', 'close', h));
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.setEncoding('utf8');
  c.setTimeout(0);
  let got = 0;
  let fine = true;
  c.on('connect', () => c.write(LINE));
  c.on('data', (d) => {
    if (d !== LINE) fine = false;
    if (++got < 5) setTimeout(() => c.write(LINE), 10);
  });
  c.on('timeout', () => out('client timeout'));
  c.on('end', () => {
    note('client', 'end', got, fine);
    c.end();
  });
  c.on('close', (h) => {
    note('client', 'close', h);
    server.close();
  });
});
