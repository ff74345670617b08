// setEncoding() on a paused socket with bytes already buffered decodes them at once:
// readableLength changes from bytes to characters, an unfinished character stays in the
// decoder and is completed by the next chunk; data then brings strings.
const net = require('net');
const { out } = require('./_lib');
const { serve, lockstep, waitUntil } = require('./_s3');

let srv;
serve({}, (s) => (srv = s), (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  c.on('connect', () => {
    waitUntil(() => srv, () => {
      lockstep(srv, c, [[0x68, 0xc3, 0xa9], [0x21, 0xe2, 0x82]], () => {
        out('buffered', c.readableLength, c.readableEncoding);
        c.setEncoding('utf8');
        out('after setEncoding', c.readableLength, c.readableEncoding);
        c.on('data', (d) => out('data', JSON.stringify(d), typeof d));
        c.pause();
        lockstep(srv, c, [[0xac, 0x3f]], () => {
          out('more', c.readableLength);
          c.resume();
          srv.end();
        });
      });
    });
  });
  c.on('end', () => out('end'));
  c.on('close', () => server.close());
});
