// 3000 corked writes (more buffers than one vectored write may carry: IOV_MAX is 1024) all
// leave at uncork, in order: nothing stays queued, callbacks once each and in order, on
// next tick; the peer gets every byte.
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

const N = 3000;
serve({}, (s) => {
  let got = '';
  s.setEncoding('latin1');
  s.on('data', (d) => (got += d));
  s.on('end', () => {
    let ok = got.length === N * 4;
    for (let i = 0; ok && i < N; i++) if (got.slice(i * 4, i * 4 + 4) !== String(i % 10000).padStart(4, '0')) ok = false;
    note('srvSock', 'got all in order', ok);
  });
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  c.on('connect', () => {
    c.cork();
    let cbs = 0;
    let inOrder = true;
    for (let i = 0; i < N; i++) {
      c.write(String(i).padStart(4, '0'), () => {
        if (cbs++ !== i) inOrder = false;
      });
    }
    out('corked', c.writableLength, c.bytesWritten);
    c.uncork();
    out('after uncork', c.writableLength, 'callbacks so far', cbs);
    process.nextTick(() => {
      out('next tick: callbacks', cbs, 'in order', inOrder);
      c.end();
    });
  });
  c.on('close', () => server.close());
});
