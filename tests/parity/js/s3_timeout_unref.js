// Idle timers never keep the process alive: with the server, both ends of a connection
// and a never-connected socket unref'd, each with a long setTimeout, the process exits
// at once without any timeout.
const net = require('net');
const { out } = require('./_lib');
const { serve } = require('./_s3');

const lone = new net.Socket();
lone.setTimeout(1000, () => out('lone timeout'));
serve({}, (s) => {
  s.setTimeout(1000, () => out('srvSock timeout'));
  s.unref();
}, (server, port) => {
  server.unref();
  const c = net.connect(port, '127.0.0.1');
  c.setTimeout(1000, () => out('client timeout'));
  c.on('connect', () => {
    out('connected');
    c.unref();
  });
});
