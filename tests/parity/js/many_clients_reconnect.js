// Ten clients at once, each connecting three times in a row from its own close listener
// (test-net-many-clients): every connection brings the server's 40 KiB and its end, the
// client ends in turn and closes without error with every byte; 30 connections in all.
const net = require('net');
const { out, note } = require('./_lib');

const BYTES = 40 * 1024;
const CLIENTS = 10;
const ROUNDS = 3;
const body = 'C'.repeat(BYTES);

let accepted = 0;
const server = net.createServer((s) => {
  accepted++;
  s.write(body);
  s.end();
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  let finished = 0;
  for (let i = 0; i < CLIENTS; i++) {
    const c = net.connect(port, '127.0.0.1');
    let rounds = 0;
    let got = '';
    c.setEncoding('utf8');
    c.on('connect', () => {
      rounds++;
      got = '';
    });
    c.on('data', (d) => (got += d));
    c.on('end', () => c.end());
    c.on('close', (h) => {
      note(`client ${i}`, 'close', rounds, h, got.length, got === body, c.readyState);
      if (rounds < ROUNDS) {
        c.connect(port, '127.0.0.1');
      } else if (++finished === CLIENTS) {
        out('all done, accepted', accepted);
        server.close(() => out('server closed'));
      }
    });
  }
});
