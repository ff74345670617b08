// pause()/resume() lose nothing: the server pauses its socket on connect, the client sends
// 1 MiB and ends; no data while paused; after resume 200 ms later every byte arrives.
const net = require('net');
const { out } = require('./_lib');

const TOTAL = 1024 * 1024;
const server = net.createServer((s) => {
  s.pause();
  out('paused', s.isPaused());
  let got = 0;
  let events = 0;
  s.on('data', (d) => {
    got += d.length;
    events++;
  });
  setTimeout(() => {
    out('data events while paused', events);
    s.resume();
    out('resumed', s.isPaused());
  }, 200);
  s.on('end', () => {
    out('end; bytes', got, 'bytesRead', s.bytesRead, 'ok', got === TOTAL);
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  const chunk = Buffer.alloc(16 * 1024, 120);
  for (let i = 0; i < TOTAL / chunk.length; i++) c.write(chunk);
  c.end();
  c.on('finish', () => out('client finish; bytesWritten', c.bytesWritten));
  c.on('close', (e) => out('client close', e));
});
