// Ports of test-stream-writable-destroy (writable side), on sockets: end(cb) called from
// a `finish` listener after a destroy() gets ERR_STREAM_ALREADY_FINISHED, on a later tick;
// from an `error` listener after destroy(err) and a second destroy(err2), it gets
// ERR_STREAM_DESTROYED on a later tick, with no second error and `errored` the first. A
// destroy(err) from a write's callback, with end callbacks waiting for `finish`: they get
// that error, then `error`, then `close`, and no `finish`.
const net = require('net');
const { out } = require('./_lib');
const { serveSink, code } = require('./_s3');

serveSink((server, port) => {
  const a = net.connect(port, '127.0.0.1');
  a.on('connect', () => a.end('x'));
  a.on('finish', () => {
    a.destroy();
    let ticked = false;
    a.end((e) => out('a end cb', code(e), ticked));
    ticked = true;
    out('a finish', a.destroyed, a.writableFinished);
  });
  a.on('close', (hadError) => {
    out('a close', hadError);
    const b = net.connect(port, '127.0.0.1');
    b.on('connect', () => b.destroy(new Error('first')));
    b.on('error', (e) => {
      out('b error', code(e));
      b.destroy(new Error('second'));
      let ticked = false;
      b.end((err) => out('b end cb', code(err), ticked));
      ticked = true;
      out('b errored', code(b.errored));
    });
    b.on('close', (hadError) => {
      out('b close', hadError, code(b.errored));
      const c = net.connect(port, '127.0.0.1');
      c.on('connect', () => {
        c.write('w', (e) => {
          out('c write cb', code(e));
          c.destroy(new Error('from write cb'));
          out('c destroyed', c.destroyed, c.writableFinished);
        });
        c.end((e) => out('c end cb 1', code(e)));
        c.end((e) => out('c end cb 2', code(e)));
        process.nextTick(() => out('c tick'));
      });
      c.on('finish', () => out('c finish'));
      c.on('error', (e) => out('c error', code(e)));
      c.on('close', (hadError) => {
        out('c close', hadError);
        server.close();
      });
    });
  });
});
