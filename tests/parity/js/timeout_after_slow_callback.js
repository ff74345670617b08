// A socket's idle timeout restarts at every read and write from the clock's time then (Node
// refreshes its timer with a fresh `getLibuvNow()`): a write at the end of a callback that
// ran longer than the timeout counts as activity at that moment, so the timeout does not
// fire when the callback returns.
const net = require('net');
const { out } = require('./_lib');
const { busy, aThenB } = require('./_slow');

const server = net.createServer((s) => {
  s.setTimeout(200);
  s.on('timeout', () => {
    out('timeout');
    s.destroy();
  });
  s.on('data', (d) => {
    const text = d.toString();
    out('data', text);
    if (text === 'a') {
      busy(300);
      s.write('x');
    } else {
      s.end();
    }
  });
  s.on('close', () => {
    out('close');
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => aThenB(server.address().port));
