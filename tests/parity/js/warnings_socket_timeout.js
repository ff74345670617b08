// A socket's idle timeout over 2^31 - 1 ms (Node's getTimerDuration): cut to 2^31 - 1 with
// a TimeoutOverflowWarning on the next tick, from the connect's `timeout` option and from
// setTimeout alike, while `timeout` reads the time given; no `timeout` event comes soon
// (the timer is not the 1 ms a plain timer's overflow gives). A later setTimeout(30)
// brings one.
const net = require('net');
const { out } = require('./_lib');

process.removeAllListeners('warning');
process.on('warning', (w) => out('warning', w.name, w.message.replace('\n', ' / ')));

const server = net.createServer((c) => c.on('close', () => out('server side closed')));
server.listen(0, '127.0.0.1', () => {
  const s = net.connect({ port: server.address().port, host: '127.0.0.1', timeout: 2 ** 31 });
  out('connecting, timeout', s.timeout);
  s.on('timeout', () => {
    out('timeout event, timeout', s.timeout);
    s.destroy();
    server.close(() => out('server closed'));
  });
  s.on('connect', () => {
    out('connected');
    s.setTimeout(2 ** 31 + 5);
    out('set 2^31 + 5, timeout', s.timeout);
    setTimeout(() => {
      out('50 ms later');
      s.setTimeout(30);
    }, 50);
  });
});
