// A character split across writes: the server sends `61 e2`, 30 ms later `82`, 30 ms later
// `ac 62` and FIN (a€b split inside the euro sign); a second connection ends inside a
// character (`61 e2 82` then FIN), which decodes to U+FFFD at the end.
const net = require('net');
const { out } = require('./_lib');

const parts = [
  [[0x61, 0xe2], [0x82], [0xac, 0x62]],
  [[0x61, 0xe2, 0x82]],
];
let round = 0;
const server = net.createServer((s) => {
  const chunks = parts[round++].slice();
  const next = () => {
    const c = chunks.shift();
    if (chunks.length === 0) {
      s.end(Buffer.from(c));
    } else {
      s.write(Buffer.from(c));
      setTimeout(next, 30);
    }
  };
  next();
});
const client = (name, then) => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.setEncoding('utf8');
  out(name, 'readableEncoding', c.readableEncoding);
  c.on('data', (d) => out(name, 'data', `[${d}]`, d.length, d.codePointAt(d.length - 1)));
  c.on('end', () => out(name, 'end'));
  c.on('close', () => then());
};
server.listen(0, '127.0.0.1', () => {
  client('one', () => client('two', () => server.close()));
});
