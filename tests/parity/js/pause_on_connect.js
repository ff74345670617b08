// pauseOnConnect: the accepted socket arrives paused and does not read; resume() 50 ms
// later brings the data.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer({ pauseOnConnect: true }, (s) => {
  out('connection paused', s.isPaused(), s.readableFlowing);
  s.on('data', (d) => out('data', d.toString(), 'bytesRead', s.bytesRead));
  setTimeout(() => {
    out('bytesRead before resume', s.bytesRead);
    s.resume();
  }, 50);
  s.on('end', () => {
    out('end');
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.end('hello');
});
