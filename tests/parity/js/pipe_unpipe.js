// pipe() and unpipe() between sockets: `pipe` on the destination (bringing the source),
// the listeners a pipe adds (as counts over those before it), unpipe() (`unpipe` on the
// destination, the source paused, its data then staying buffered), a second pipe making
// the source flow again, two destinations at once, the destination's `finish` unpiping it,
// `{ end: false }` (the source's end unpipes instead of ending), and an error on the
// destination unpiping it while still reaching its own `error` listener. Each step waits
// for the bytes to arrive at a sink server, which counts them per connection.
const net = require('net');
const { out } = require('./_lib');

const got = [];
let waiting = null;
const sink = net.createServer((s) => {
  const k = got.length;
  got.push(0);
  s.on('data', (d) => {
    got[k] += d.length;
    if (waiting) waiting();
  });
  s.on('end', () => out('sink', k, 'end', got[k]));
  s.on('error', () => {});
});
// Run `then` once the sink's counts are `want`.
const whenGot = (want, then) => {
  const check = () => {
    if (want.every((n, k) => got[k] === n)) {
      waiting = null;
      out('sink got', got.join(' '));
      then();
    }
  };
  waiting = check;
  check();
};

const counts = (s, events) => events.map((e) => s.listenerCount(e));
const delta = (a, b) => a.map((n, k) => b[k] - n).join(' ');
const SRC = ['data', 'end'];
const DEST = ['error', 'close', 'finish', 'drain'];

const source = net.createServer((a) => {
  a.on('error', (e) => out('a error', e.code));
  const d1 = net.connect(sink.address().port, '127.0.0.1');
  d1.on('connect', () => {
    const d2 = net.connect(sink.address().port, '127.0.0.1');
    d2.on('connect', () => step1(a, d1, d2));
  });
});

let client;
function step1(a, d1, d2) {
  for (const [name, d] of [['d1', d1], ['d2', d2]]) {
    d.on('pipe', (src) => out(name, 'pipe from a', src === a));
    d.on('unpipe', (src) => out(name, 'unpipe from a', src === a));
    d.on('finish', () => out(name, 'finish'));
    d.on('close', (h) => out(name, 'close', h));
    d.on('error', (e) => out(name, 'error', e.code));
  }
  const s0 = counts(a, SRC);
  const d0 = counts(d1, DEST);
  out('pipe returns dest', a.pipe(d1) === d1);
  out('added on a', delta(s0, counts(a, SRC)), 'on d1', delta(d0, counts(d1, DEST)));
  client.write('hello');
  whenGot([5], () => {
    a.unpipe(d1);
    out('after unpipe: flowing', a.readableFlowing, 'paused', a.isPaused());
    out('left on a', delta(s0, counts(a, SRC)), 'on d1', delta(d0, counts(d1, DEST)));
    a.unpipe(d1);
    out('second unpipe did nothing');
    client.write('more');
    setTimeout(() => {
      out('buffered', a.readableLength);
      a.pipe(d2);
      whenGot([5, 4], () => {
        a.pipe(d1, { end: false });
        client.write('x');
        whenGot([6, 5], () => {
          d2.end();
          d2.on('finish', () => {
            out('after d2 finish: on a', delta(s0, counts(a, SRC)));
            client.end();
          });
        });
      });
    }, 50);
  });
  a.on('end', () => {
    out('a end; d1 writable', d1.writable);
    setTimeout(() => step2(d1), 20);
  });
}

// A destination that errors: it is unpiped, and its own listener still hears the error.
function step2(d1) {
  const c2 = net.connect(source2.address().port, '127.0.0.1');
  c2.on('error', () => {});
  source2.once('connection', (b) => {
    const e0 = counts(b, SRC);
    b.pipe(d1);
    out('b piped: on b', delta(e0, counts(b, SRC)));
    const err = new Error('boom');
    err.code = 'ERR_TEST';
    d1.destroy(err);
    setTimeout(() => {
      out('after d1 error: on b', delta(e0, counts(b, SRC)), 'flowing', b.readableFlowing);
      c2.destroy();
      b.destroy();
      source.close();
      source2.close();
      sink.close();
    }, 20);
  });
}

const source2 = net.createServer();
sink.listen(0, '127.0.0.1', () =>
  source2.listen(0, '127.0.0.1', () =>
    source.listen(0, '127.0.0.1', () => {
      client = net.connect(source.address().port, '127.0.0.1');
      client.on('error', () => {});
    }),
  ),
);
