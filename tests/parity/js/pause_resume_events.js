// `pause` and `resume`: pause() emits `pause` only when the socket was not paused; resume()
// emits `resume` on its tick (once for two calls in a tick), before buffered data flows; a
// first `data` listener's resume emits it too; a `readable` listener's socket still gets
// the tick's `resume`, and does not flow.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer((s) => s.end('hello'));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('pause', () => out('pause', c.readableFlowing));
  c.on('resume', () => out('resume', c.readableFlowing, c.readableLength));
  c.pause();
  c.pause();
  out('paused twice', c.isPaused());
  setTimeout(() => {
    c.resume();
    c.resume();
    process.nextTick(() => out('tick after resume'));
    c.on('data', (d) => out('data', d));
  }, 30);
  c.on('end', () => {
    out('end');
    const d = net.connect(server.address().port, '127.0.0.1');
    d.on('resume', () => out('d resume', d.readableFlowing));
    d.on('pause', () => out('d pause'));
    d.on('data', (x) => out('d data', x));
    d.on('readable', () => out('d readable', d.read()));
    d.resume();
    d.on('close', () => server.close());
  });
});
