// The loop's phases seen from an I/O callback: next ticks first, then the immediate (check
// phase), then close (close phase), then a timer already due (timers of the next
// iteration), then an immediate queued by the close (check of the next iteration), then a
// later timer.
const net = require('net');
const { out } = require('./_lib');
const { busy } = require('./_slow');

const server = net.createServer((s) => {
  out('connection');
  setTimeout(() => out('timeout 1 (due)'), 1);
  busy(5);
  setImmediate(() => {
    out('immediate');
    process.nextTick(() => out('tick from immediate'));
  });
  process.nextTick(() => out('next tick'));
  s.destroy();
  s.on('close', () => {
    out('srvSock close');
    setImmediate(() => out('immediate from close'));
    // 200 ms: long enough that a loaded machine's stall between here and this iteration's
    // timers phase does not let it overtake the immediate (20 ms did, under parallel tests).
    setTimeout(() => {
      out('timeout 200 from close');
      server.close();
    }, 200);
  });
  out('connection listener ends');
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('error', () => {});
});
