// Ports of test-stream-writable-end-cb-error and test-stream2-writable (writable side):
// end(data) on a socket already ending fails with ERR_STREAM_WRITE_AFTER_END ("write after
// end"), destroys it at once, and every end callback waiting for `finish` gets that error
// (no `finish`); a plain end(cb) on an ending socket only waits. A destroy(err) after a
// write after end() changes nothing: the one error is the write's.
const net = require('net');
const { out } = require('./_lib');
const { serveSink, code } = require('./_s3');

serveSink((server, port) => {
  const c = net.connect(port, '127.0.0.1');
  c.on('connect', () => {
    c.write('w', (e) => out('c write cb', code(e)));
    c.end('a', (e) => out('c end cb 1', code(e)));
    out('c after end', c.writableEnded, c.writable, c.destroyed);
    c.end((e) => out('c end cb 2', code(e)));
    out('c after end(cb)', c.destroyed, c.errored);
    c.end('b', (e) => out('c end cb 3', code(e)));
    out('c after end(b)', c.destroyed, code(c.errored), c.writableEnded, c.writableFinished);
    process.nextTick(() => out('c tick'));
  });
  c.on('finish', () => out('c finish'));
  c.on('error', (e) => out('c error', code(e), e.message));
  c.on('close', (hadError) => {
    out('c close', hadError);
    const d = net.connect(port, '127.0.0.1');
    d.on('connect', () => {
      d.end();
      out('d write', d.write('x', (e) => out('d write cb', code(e))));
      d.destroy(new Error('later'));
      out('d errored', code(d.errored));
    });
    d.on('finish', () => out('d finish'));
    d.on('error', (e) => out('d error', code(e), e.message));
    d.on('close', (hadError) => {
      out('d close', hadError);
      server.close();
    });
  });
});
