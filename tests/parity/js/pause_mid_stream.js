// Pausing a socket while data trickles in (test-net-pause): the server writes one byte
// every 10 ms, 80 in all, then ends; the client pauses at its 5th and its 40th byte, for
// 150 ms each: no data while paused, though the socket reads on (bytesRead grows); resume
// brings what was kept; every byte arrives, then end.
const net = require('net');
const { out, note } = require('./_lib');

const N = 80;
const server = net.createServer((s) => {
  let sent = 0;
  (function tick() {
    setTimeout(() => {
      s.write('C');
      if (++sent === N) s.end();
      else tick();
    }, 10);
  })();
  s.on('close', (h) => note('server', 'close', h, sent));
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.setEncoding('ascii');
  let recv = '';
  let pauses = 0;
  let whilePaused = 0;
  c.on('data', (d) => {
    if (c.isPaused()) whilePaused++;
    recv += d;
    if ((pauses === 0 && recv.length >= 5) || (pauses === 1 && recv.length >= 40)) {
      pauses++;
      c.pause();
      const atPause = recv.length;
      const readAtPause = c.bytesRead;
      out('pause', pauses, c.isPaused(), c.readableFlowing);
      setTimeout(() => {
        out('resume', pauses, 'nothing while paused', recv.length === atPause,
          'read on', c.bytesRead > readAtPause, 'kept', c.readableLength > 0);
        c.resume();
        out('resumed', c.isPaused(), c.readableFlowing);
      }, 150);
    }
  });
  c.on('end', () => {
    out('end', recv.length, recv === 'C'.repeat(N), 'data while paused', whilePaused);
    server.close();
    c.end();
  });
  c.on('close', (h) => out('close', h));
});
