// The idle timer is re-armed by activity: with setTimeout(100) on the client, the server
// writes every 10 ms for 150 ms and no timeout fires; once it stops, exactly one timeout
// fires after the last data, the socket stays open; the client then ends.
const net = require('net');
const { out } = require('./_lib');
const { serve } = require('./_s3');

serve({}, (s) => {
  let n = 0;
  const t = setInterval(() => {
    s.write('x');
    if (++n === 15) clearInterval(t);
  }, 10);
  s.on('end', () => s.end());
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  c.setTimeout(100);
  let got = 0;
  let timeouts = 0;
  c.on('data', (d) => (got += d.length));
  c.on('timeout', () => {
    timeouts++;
    out('timeout', timeouts, 'after all data', got === 15, c.readyState, c.destroyed);
    setTimeout(() => {
      out('timeouts', timeouts);
      c.end();
    }, 150);
  });
  c.on('close', (e) => {
    out('close', e);
    server.close();
  });
});
