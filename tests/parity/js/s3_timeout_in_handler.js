// createConnection({ timeout }) arms the idle timer before connecting; writing inside the
// timeout handler is activity: it re-arms the timer, the echo comes back, a second timeout
// follows a quiet period, and the connection then ends normally.
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

serve({}, (s) => {
  s.setEncoding('utf8');
  s.on('data', (d) => {
    note('srvSock', 'data', d);
    s.write(d.toUpperCase());
  });
  s.on('end', () => s.end());
}, (server, port) => {
  const c = net.createConnection({ port, host: '127.0.0.1', timeout: 40 });
  out('timeout prop', c.timeout, c.connecting);
  c.setEncoding('utf8');
  let n = 0;
  c.on('timeout', () => {
    n++;
    out('timeout', n);
    if (n === 1) out('write in handler', c.write('ping'));
    else c.end();
  });
  c.on('data', (d) => out('data', d));
  c.on('close', (e) => {
    out('close', e);
    server.close();
  });
});
