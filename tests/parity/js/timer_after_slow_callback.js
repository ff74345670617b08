// A timer armed at the end of a callback that ran longer than the timer's delay counts from
// when it was armed (setTimeout reads the clock), not from the poll that started the
// callback: it is not due at once, so data that arrives meanwhile is read first.
const net = require('net');
const { out } = require('./_lib');
const { busy, aThenB } = require('./_slow');

const server = net.createServer((s) => {
  s.on('data', (d) => {
    const text = d.toString();
    out('data', text);
    if (text === 'a') {
      s.write('ack');
      busy(300);
      // 200 ms: from the poll it would be due at once; from now, the client's 'b' (one
      // loopback round trip away) comes first even on a loaded machine.
      setTimeout(() => {
        out('timer');
        server.close();
      }, 200);
    } else {
      s.end();
    }
  });
});
server.listen(0, '127.0.0.1', () => aThenB(server.address().port));
