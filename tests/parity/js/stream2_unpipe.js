// Ports of Node's test-stream2-unpipe-leak and test-stream2-unpipe-drain, on sockets. Two
// sources S1 and S2 (clients of a feeder server, whose accepted ends F1 and F2 write what
// they read) and a destination D (a client of a sink server, which counts what it gets).
// Leak: S1.pipe(D) then S1.unpipe(D), ten times: ten `pipe` and ten `unpipe` events on D,
//   and no listener left behind on S1 (data, end, readable, close, error) or on D (unpipe,
//   drain, error, close, finish); S1 paused.
// Drain: S1 piped into D; D corked over its highWaterMark (64 KiB) by a write of its own (false);
//   `hello` from F1 flows into D, whose write returns false: S1 pauses (awaiting D's
//   drain). S2 piped into D then pauses at once (D needs a drain), and F2's `world` stays
//   in S2. S1.unpipe(D) while both await the drain: S1 stays paused (no `data` listener is
//   left to resume it) and S2 still waits, with D's drain listener kept for it; F1's
//   `again` stays in S1. D.uncork(): D's drain resumes S2 alone, `world` reaches the sink
//   after D's bytes and `hello`, S1 keeps `again`; F2's end ends S2 and, through the pipe,
//   D.
const net = require('net');
const { out, note } = require('./_lib');

const feeds = [];
let got = 0;
let waiting = null;
const poke = () => waiting && waiting();
const feeder = net.createServer((f) => {
  f.on('error', () => {});
  feeds.push(f);
  poke();
});
const sink = net.createServer((k) => {
  k.on('data', (d) => {
    got += d.length;
    poke();
  });
  k.on('end', () => {
    note('sink', 'end', got);
    done();
  });
});
const waitUntil = (cond, then) => {
  const check = () => {
    if (cond()) {
      waiting = null;
      then();
    }
  };
  waiting = check;
  check();
};
// Some conditions change on no event of the sink's or the feeder's: poll those.
const poll = (cond, then) => {
  if (cond()) return then();
  setTimeout(() => poll(cond, then), 2);
};

let closing = 2;
function done() {
  if (--closing === 0) {
    feeder.close();
    sink.close();
  }
}

const counts = (s, events) => events.map((e) => s.listenerCount(e));
const delta = (a, b) => a.map((n, k) => b[k] - n).join(' ');
const SRC = ['data', 'end', 'readable', 'close', 'error'];
const DEST = ['unpipe', 'drain', 'error', 'close', 'finish'];
// While a pipe holds: Node's pipe also adds an `unpipe` listener to the destination,
// nodenet's does not (it removes the pipe's listeners itself, see `Socket::unpipe`), so
// that count is left out.
const HELD = ['drain', 'error', 'close', 'finish'];

function leak(s1, d) {
  let pipes = 0;
  let unpipes = 0;
  d.on('pipe', () => pipes++);
  d.on('unpipe', () => unpipes++);
  const s0 = counts(s1, SRC);
  const d0 = counts(d, DEST);
  for (let i = 0; i < 10; i++) {
    s1.pipe(d);
    s1.unpipe(d);
  }
  out('leak: pipe events', pipes, 'unpipe events', unpipes);
  out('leak: left on S1', delta(s0, counts(s1, SRC)), 'on D', delta(d0, counts(d, DEST)));
  out('leak: S1 flowing', s1.readableFlowing, 'paused', s1.isPaused());
  d.removeAllListeners('pipe');
  d.removeAllListeners('unpipe');
}

function drain(s1, s2, d, f1, f2) {
  const d0 = counts(d, HELD);
  s1.on('pause', () => out('S1 pause'));
  s1.on('resume', () => out('S1 resume'));
  s2.on('pause', () => out('S2 pause'));
  s2.on('resume', () => out('S2 resume'));
  d.on('drain', () => out('D drain'));
  s1.pipe(d);
  d.cork();
  out('D write 70000', d.write(Buffer.alloc(70000, 'd')), 'needDrain', d.writableNeedDrain);
  f1.write('hello');
  poll(() => s1.bytesRead === 5 && s1.isPaused(), () => {
    out('S1 got hello: flowing', s1.readableFlowing, 'D writableLength', d.writableLength);
    s2.pipe(d);
    out('S2 piped: flowing', s2.readableFlowing);
    f2.write('world');
    poll(() => s2.bytesRead === 5, () => {
      out('S2 buffered', s2.readableLength);
      s1.unpipe(d);
      out('S1 unpiped: S1 flowing', s1.readableFlowing, 'S2 flowing', s2.readableFlowing);
      out('held on D', delta(d0, counts(d, HELD)));
      f1.write('again');
      poll(() => s1.bytesRead === 10, () => {
        out('S1 buffered', s1.readableLength);
        d.uncork();
        waitUntil(() => got === 70010, () => {
          out('sink got', got, 'S1 buffered', s1.readableLength, 'S2 flowing', s2.readableFlowing);
          s2.on('end', () => out('S2 end'));
          d.on('finish', () => out('D finish'));
          f2.end();
          s1.destroy();
        });
      });
    });
  });
}

sink.listen(0, '127.0.0.1', () =>
  feeder.listen(0, '127.0.0.1', () => {
    const s1 = net.connect(feeder.address().port, '127.0.0.1');
    s1.on('connect', () => {
      const s2 = net.connect(feeder.address().port, '127.0.0.1');
      s2.on('connect', () => {
        const d = net.connect(sink.address().port, '127.0.0.1');
        d.on('close', () => done());
        d.on('connect', () => {
          waitUntil(() => feeds.length === 2, () => {
            leak(s1, d);
            drain(s1, s2, d, feeds[0], feeds[1]);
          });
        });
      });
    });
  }),
);
