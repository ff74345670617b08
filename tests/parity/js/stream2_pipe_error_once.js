// Port of Node's test-stream2-pipe-error-once-listener, on sockets: a source S (a client
// of a feeder server that writes `x` and waits) piped into a destination D (a client of a
// sink server) whose only `error` listener is a `once` listener. D fails (destroy with an
// error): the pipe's own error handler unpipes D and, finding the user's listener, does not
// make the error uncaught; the listener hears it once; S is unpiped and paused; the run
// ends normally.
const net = require('net');
const { out, note } = require('./_lib');

const sink = net.createServer((s) => {
  s.on('data', (d) => note('sink', 'got', d.length));
  s.on('error', () => {});
  s.on('close', () => note('sink', 'closed'));
});
let feedSide = null;
const feeder = net.createServer((s) => {
  feedSide = s;
  s.on('error', () => {});
  s.write('x');
});
sink.listen(0, '127.0.0.1', () => {
  feeder.listen(0, '127.0.0.1', () => {
    const d = net.connect(sink.address().port, '127.0.0.1');
    d.once('error', (e) => out('d error', e.message, 'listeners now', d.listenerCount('error')));
    d.on('unpipe', () => out('d unpipe'));
    d.on('close', (h) => {
      out('d close', h);
      out('s flowing', s.readableFlowing, 'paused', s.isPaused());
      s.destroy();
      feedSide.destroy();
      sink.close();
      feeder.close();
    });
    const s = net.connect(feeder.address().port, '127.0.0.1');
    d.on('connect', () => {
      s.pipe(d);
      out('piped');
    });
    const wait = setInterval(() => {
      if (s.bytesRead === 1 && d.bytesWritten === 1) {
        clearInterval(wait);
        out('x went through');
        d.destroy(new Error('boom'));
      }
    }, 5);
  });
});
