// UTF-16 surrogate pairs split inside a code unit (odd byte offsets): Node may emit a chunk
// ending in a lone high surrogate whose low half starts the next chunk; nodenet holds the
// high surrogate back instead (a Rust String cannot hold half a pair). The joined text is
// the same: that is what this prints, with its length in UTF-16 units.
const { out } = require('./_lib');
const { serve, lockstep } = require('./_s3');
const net = require('net');

const accepted = {};
serve({}, (s) => (accepted.s = s), (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  c.setEncoding('utf16le');
  let text = '';
  c.on('data', (d) => (text += d));
  c.on('end', () => {
    out('joined', JSON.stringify(text), text.length, 'well formed', text.isWellFormed());
    server.close();
  });
  c.on('connect', () => {
    const go = () => {
      if (!accepted.s) return setTimeout(go, 2);
      const s = accepted.s;
      lockstep(s, c, [[0x3d], [0xd8, 0x00], [0xde, 0x3d, 0xd8, 0x02], [0xde], [0x3d, 0xd8, 0x03],
        [0xde, 0x41, 0x00]], () => s.end());
    };
    go();
  });
});
