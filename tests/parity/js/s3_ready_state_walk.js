// readyState with pending, connecting, readable, writable and destroyed at each step of a
// connection where the client ends first: opening, open, readOnly (client after end());
// open, writeOnly (server after the client's FIN), then closed on both.
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

const st = (s) => [s.readyState, 'pending', s.pending, 'connecting', s.connecting, 'r/w',
  s.readable, s.writable, 'destroyed', s.destroyed];
serve({ allowHalfOpen: true }, (s) => {
  note('srvSock', 'connection', ...st(s));
  s.on('end', () => {
    note('srvSock', 'end', ...st(s));
    setTimeout(() => {
      s.end('bye');
      note('srvSock', 'after end()', ...st(s));
    }, 20);
  });
  s.on('finish', () => note('srvSock', 'finish', ...st(s)));
  s.on('close', () => note('srvSock', 'close', ...st(s)));
  s.resume();
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  out('after connect()', ...st(c));
  c.on('connect', () => {
    out('connect', ...st(c));
    c.end();
    out('after end()', ...st(c));
  });
  c.on('finish', () => out('finish', ...st(c)));
  c.on('data', () => out('data', ...st(c)));
  c.on('end', () => out('end', ...st(c)));
  c.on('close', () => {
    out('close', ...st(c));
    server.close();
  });
});
