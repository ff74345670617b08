// end(data, encoding, cb) and end(cb): the callbacks run in order, before the finish
// listeners, with null; end(cb) after finish gets ERR_STREAM_ALREADY_FINISHED; a write in
// flight when the socket is destroyed fails the end callback with ECANCELED; without one,
// the end callback gets ERR_STREAM_DESTROYED, or the destroy error.
const net = require('net');
const { out, note } = require('./_lib');
const { serve, code } = require('./_s3');

serve({}, (s) => {
  s.on('data', () => {});
  s.on('error', () => {});
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  c.on('finish', () => {
    out('finish listener', c.writableFinished);
    c.end((e) => out('end cb after finish', code(e)));
    c.end();
    out('end() again returns');
  });
  c.on('connect', () => {
    c.end('6869', 'hex', (e) => out('end cb 1', code(e), c.writableFinished));
    out('after end', c.writableEnded, c.writableFinished, c.bytesWritten);
    c.end((e) => out('end cb 2', code(e)));
  });
  c.on('close', () => {
    const d = net.connect(port, '127.0.0.1');
    d.on('connect', () => {
      d.write(Buffer.alloc(16 << 20));
      d.end((e) => out('in flight: end cb', code(e), e && e.message));
      d.destroy();
    });
    d.on('close', (e) => {
      out('in flight: close', e);
      const f = net.connect(port, '127.0.0.1');
      f.on('connect', () => {
        f.end((e) => out('nothing queued: end cb', code(e), e && e.message));
        f.destroy();
        process.nextTick(() => out('nothing queued: next tick'));
      });
      f.on('close', (e) => {
        out('nothing queued: close', e);
        const g = net.connect(port, '127.0.0.1');
        g.on('connect', () => {
          g.end((e) => out('destroy(err): end cb', code(e)));
          g.destroy(new Error('boom'));
        });
        g.on('error', (e) => out('destroy(err): error', code(e)));
        g.on('close', (e) => {
          out('destroy(err): close', e);
          server.close();
        });
      });
    });
  });
});
