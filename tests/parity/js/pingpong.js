// Ping-pong, 50 rounds over 127.0.0.1 then ::1, both ends half-open: each PING arrives
// alone and is answered with PONG (bufferSize stays within one message, both ends
// readable and writable); the client sends its last PING with end(): the server still
// answers it, is writable but not readable at its end, then ends; every write callback
// runs. The accepted socket knows its server; getConnections counts 1.
const net = require('net');
const { out, note } = require('./_lib');

const N = 50;

function round(host, next) {
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    note(`server ${host}`, 'connection', s.server === server);
    server.getConnections((e, n) => note(`server ${host}`, 'getConnections', e, n));
    s.setNoDelay();
    s.setEncoding('utf8');
    let pings = 0;
    let fine = true;
    let pongs = 0;
    s.on('data', (d) => {
      pings++;
      if (d !== 'PING' || !s.readable || !s.writable || s.bufferSize > 4) fine = false;
      s.write('PONG', () => pongs++);
    });
    s.on('end', () => {
      note(`server ${host}`, 'end', pings, fine, s.allowHalfOpen, s.readable, s.writable);
      s.end();
    });
    s.on('error', (e) => note(`server ${host}`, 'error', e.code));
    s.on('close', (h) => {
      note(`server ${host}`, 'close', h, pongs, s.readable, s.writable);
      server.close(() => {
        out(host, 'done');
        next();
      });
    });
  });
  server.listen(0, host, () => {
    const c = net.createConnection(server.address().port, host);
    c.setEncoding('ascii');
    let count = 0;
    let fine = true;
    let finalSent = false;
    c.on('connect', () => {
      note(`client ${host}`, 'connect', c.readable, c.writable, c.remoteFamily);
      c.write('PING');
    });
    c.on('data', (d) => {
      count++;
      if (d !== 'PONG') fine = false;
      if (finalSent) {
        note(`client ${host}`, 'last pong', count, fine, c.readable, c.writable);
        return;
      }
      if (!c.readable || !c.writable) fine = false;
      c.write('PING');
      if (count === N) {
        finalSent = true;
        c.end();
      }
    });
    c.on('end', () => note(`client ${host}`, 'end'));
    c.on('error', (e) => note(`client ${host}`, 'error', e.code));
    c.on('close', (h) => note(`client ${host}`, 'close', h, count));
  });
}

round('127.0.0.1', () => round('::1', () => {}));
