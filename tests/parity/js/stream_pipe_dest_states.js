// Ports of Node's test-stream-pipe-same-destination-twice, test-stream-pipe-needDrain,
// test-stream-pipe-deadlock and test-stream-pipe-unpipe-streams (its last part), on
// sockets. Each part pipes a source S (a client of a feeder server, whose accepted end F
// writes what S reads) into a destination D (a client of a sink server, which counts
// what it gets per connection).
// A: S piped into D twice: two pipes, every chunk written twice; one unpipe() removes one
//    (S still flows, each chunk once); a second removes the other, and S pauses with the
//    next chunk left buffered.
// B: D corked over its highWaterMark (writableNeedDrain) when a fresh S, its data and
//    FIN buffered and unread, is piped into it: S pauses at once (a `pause` event), and
//    flows once D drains after the uncork: D gets S's bytes after its own, then its end.
// C: S unpipes D from its `resume` listener (the resume the pipe asked for): S pauses
//    again, and what F writes then stays buffered.
const net = require('net');
const { out, note } = require('./_lib');

const got = [];
let waiting = null;
const sink = net.createServer((s) => {
  const k = got.length;
  got.push(0);
  s.on('data', (d) => {
    got[k] += d.length;
    if (waiting) waiting();
  });
  s.on('end', () => note('sink' + k, 'end', got[k]));
  s.on('error', () => {});
});
const whenGot = (k, want, then) => {
  const check = () => {
    if (got[k] === want) {
      waiting = null;
      then();
    }
  };
  waiting = check;
  check();
};

let feed = null;
const feeder = net.createServer((f) => {
  f.on('error', () => {});
  feed(f);
});

// S, F and D connected, then `then(S, F, D, k)` (k: D's index at the sink).
function pair(then) {
  let left = 3;
  let s, f, d;
  const k = got.length;
  const one = () => {
    if (--left === 0) then(s, f, d, k);
  };
  feed = (x) => {
    f = x;
    one();
  };
  s = net.connect(feeder.address().port, '127.0.0.1', one);
  d = net.connect(sink.address().port, '127.0.0.1', one);
  s.on('error', (e) => out('S error', e.code));
  d.on('error', (e) => out('D error', e.code));
}

const state = (s) => `${s.readableFlowing} ${s.isPaused()} ${s.listenerCount('data')}`;

function partA(next) {
  pair((s, f, d, k) => {
    d.on('pipe', (src) => out('A pipe', src === s));
    d.on('unpipe', (src) => out('A unpipe', src === s));
    s.on('pause', () => out('A pause'));
    s.on('resume', () => out('A resume'));
    s.pipe(d);
    s.pipe(d);
    out('A piped twice', state(s));
    f.write('abc');
    whenGot(k, 6, () => {
      out('A sink', got[k]);
      s.unpipe(d);
      out('A unpiped once', state(s));
      f.write('de');
      whenGot(k, 8, () => {
        out('A sink', got[k]);
        s.unpipe(d);
        out('A unpiped twice', state(s));
        f.write('fg');
        setTimeout(() => {
          out('A left', s.readableLength, got[k]);
          s.destroy();
          d.destroy();
          f.destroy();
          next();
        }, 40);
      });
    });
  });
}

function partB(next) {
  pair((s, f, d, k) => {
    d.cork();
    out('B dest write', d.write(Buffer.alloc(70000, 'x')), d.writableNeedDrain);
    f.end('xyz');
    setTimeout(() => {
      out('B source', s.readableLength, s.readableFlowing, s.readableEnded);
      s.on('pause', () => out('B pause'));
      s.on('resume', () => out('B resume'));
      s.on('end', () => out('B end'));
      s.on('close', () => note('S', 'B close'));
      d.on('drain', () => out('B drain'));
      d.on('unpipe', () => out('B unpipe'));
      d.on('finish', () => note('D', 'B finish'));
      d.on('close', () => {
        note('D', 'B close');
        whenGot(k, 70003, () => {
          out('B sink', got[k]);
          f.destroy();
          next();
        });
      });
      out('B pipe', s.pipe(d) === d, state(s));
      process.nextTick(() => out('B tick', state(s)));
      setTimeout(() => {
        out('B uncork', s.readableLength);
        d.uncork();
      }, 30);
    }, 40);
  });
}

function partC(next) {
  pair((s, f, d, k) => {
    d.on('unpipe', (src) => out('C unpipe', src === s));
    s.on('pause', () => out('C pause'));
    s.on('resume', () => {
      out('C resume', state(s));
      s.unpipe(d);
      out('C unpiped', state(s));
    });
    out('C pipe', s.pipe(d) === d, state(s));
    f.write('late');
    setTimeout(() => {
      out('C left', s.readableLength, got[k]);
      s.destroy();
      d.destroy();
      f.destroy();
      next();
    }, 40);
  });
}

sink.listen(0, '127.0.0.1', () => {
  feeder.listen(0, '127.0.0.1', () => {
    partA(() =>
      partB(() =>
        partC(() => {
          sink.close();
          feeder.close();
        })
      )
    );
  });
});
