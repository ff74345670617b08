// A socket that does not read: the accepted socket (highWaterMark 16 KiB) stops reading the
// kernel once its buffer reaches highWaterMark, so the client's writes fill the kernel and
// return false; nothing moves while it waits; once it reads (resume), every byte arrives
// and the client gets drain.
const net = require('net');
const { out } = require('./_lib');
const { serve, waitUntil } = require('./_s3');

const chunk = Buffer.alloc(64 * 1024, 97);
let srv;
serve({ highWaterMark: 16384 }, (s) => (srv = s), (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  let sent = 0;
  c.on('connect', () => {
    while (c.write(chunk)) sent += chunk.length;
    sent += chunk.length;
    out('client write returned false; needDrain', c.writableNeedDrain);
    waitUntil(() => srv && srv.readableLength >= srv.readableHighWaterMark, () => {
      const before = srv.bytesRead;
      setTimeout(() => {
        out('server stalled: buffered >= hwm', srv.readableLength >= 16384,
          'flowing', srv.readableFlowing, 'bytesRead unchanged', srv.bytesRead === before,
          'client still queued', c.writableLength > 0);
        let got = 0;
        srv.on('data', (d) => (got += d.length));
        srv.on('end', () => {
          out('server end; got all', got === sent, 'bytesRead', srv.bytesRead === sent);
          server.close();
        });
      }, 50);
    });
  });
  c.on('drain', () => {
    out('client drain', c.writableLength);
    c.end();
  });
});
