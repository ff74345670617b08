// Port of Node's test-stream3-pause-then-read, on a socket: the server sends 9,900 bytes
// (a pattern of i % 251) in one write and ends; the client consumes them four ways in
// turn, and checks that every byte comes once, in order:
// 1. read(100) from a once('readable') listener (readableFlowing false after it);
// 2. a `data` listener added then (the socket flows once the `readable` listener is gone)
//    that, once 100 bytes have come, removes itself, pauses and unshifts what it got past
//    the 100th byte;
// 3. an immediate later, read(1234) (from once('readable') if not all there yet);
// 4. resume() and pause() five times in one go, with no consumer: five `pause` events and
//    one `resume`, on the tick, which flows nothing (paused again by then), so no byte is
//    lost;
// 5. an immediate later, pipe() into a socket to a sink server, which gets the other 8,466
//    bytes, in order, then the end. (The sink's lines are its own: their order against the
//    client's hangs on the OS.)
const net = require('net');
const { out, note } = require('./_lib');

const TOTAL = 9900;
const pattern = (i) => i % 251;
const payload = Buffer.alloc(TOTAL);
for (let i = 0; i < TOTAL; i++) payload[i] = pattern(i);

let pos = 0;
let bad = 0;
const take = (buf) => {
  for (const b of buf) {
    if (b !== pattern(pos)) bad++;
    pos++;
  }
};

let closing = 2;
const done = () => {
  if (--closing === 0) {
    server.close();
    sink.close();
  }
};

const sink = net.createServer((k) => {
  let at = pos;
  let got = 0;
  let wrong = 0;
  k.on('data', (d) => {
    for (const b of d) {
      if (b !== pattern(at)) wrong++;
      at++;
    }
    got += d.length;
  });
  k.on('end', () => {
    note('sink', 'got', got, 'out of order', wrong, 'up to', at);
    done();
  });
});

const server = net.createServer((s) => s.end(payload));

function readn(c, n, then) {
  const read = () => {
    const d = c.read(n);
    if (!d) {
      c.once('readable', read);
      return;
    }
    take(d);
    out(`read(${n})`, d.length, 'flowing', c.readableFlowing, 'at', pos);
    then();
  };
  read();
}

function onData(c) {
  let seen = 0;
  c.on('data', function od(d) {
    seen += d.length;
    if (seen < 100) {
      take(d);
      return;
    }
    c.removeListener('data', od);
    c.pause();
    const diff = seen - 100;
    take(d.subarray(0, d.length - diff));
    if (diff > 0) c.unshift(d.subarray(d.length - diff));
    out('data: took 100, at', pos, 'flowing', c.readableFlowing, 'paused', c.isPaused());
    setImmediate(() => readn(c, 1234, () => resumePause(c)));
  });
  out('data listener added, flowing', c.readableFlowing);
}

function resumePause(c) {
  for (let i = 0; i < 5; i++) {
    c.resume();
    c.pause();
  }
  out('toggled, flowing', c.readableFlowing, 'paused', c.isPaused());
  setImmediate(() => {
    out('before pipe, flowing', c.readableFlowing, 'at', pos);
    const d = net.connect(sink.address().port, '127.0.0.1');
    c.pipe(d);
  });
}

sink.listen(0, '127.0.0.1', () =>
  server.listen(0, '127.0.0.1', () => {
    const c = net.connect(server.address().port, '127.0.0.1');
    c.on('pause', () => out('pause'));
    c.on('resume', () => out('resume'));
    c.on('end', () => out('end; out of order', bad));
    c.on('close', (e) => {
      out('close', e);
      done();
    });
    readn(c, 100, () => onData(c));
  }),
);
