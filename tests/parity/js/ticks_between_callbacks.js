// Node drains the next-tick queue after every callback it makes from native code, and
// libuv makes some in a loop within one event: one per socket a listener accepts, one per
// chunk a socket reads. A tick queued by one of them runs before the next. So do the
// failure of a write a close cancels and the close itself, in the close phase.
const net = require('net');
const { out } = require('./_lib');

const sleep = (ms) => {
  const t = Date.now();
  while (Date.now() - t < ms) {}
};

let accepted = 0;
const server = net.createServer((s) => {
  const n = ++accepted;
  out('connection', n);
  process.nextTick(() => out('tick', n));
  if (n <= 4) s.destroy();
  else if (n === 5) s.end(Buffer.alloc(300000, 1));
  else s.pause();
});

// A write the peer never reads, in flight when the socket is destroyed: its callback, the
// one behind it and the end callback fail in the close phase, their ticks before `close`.
const cancelled = (port) => {
  const c = net.connect(port, '127.0.0.1', () => {
    const cb = (what) => (e) => {
      out(what, e && e.code);
      process.nextTick(() => out('tick', what));
    };
    c.write(Buffer.alloc(32 << 20), cb('write'));
    c.write(Buffer.alloc(10), cb('write behind'));
    c.end(cb('end'));
    setTimeout(() => c.destroy(), 30);
  });
  c.on('close', () => {
    out('close');
    server.close(() => out('server closed'));
  });
};

// A client whose server writes 300 000 bytes at once: they arrive while the client's loop
// is busy in its connect listener, and come in more than one read.
const reader = (port) => {
  let chunks = 0;
  let tickDue = false;
  let ticksBetween = true;
  const c = net.connect(port, '127.0.0.1', () => sleep(30));
  c.on('data', () => {
    chunks++;
    if (tickDue) ticksBetween = false;
    tickDue = true;
    process.nextTick(() => (tickDue = false));
  });
  c.on('end', () => {
    out('end: more than one chunk', chunks > 1, 'tick between every two', ticksBetween);
    cancelled(port);
  });
};

server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  // Four connects that wait in the accept queue together: the loop is busy here.
  let closed = 0;
  for (let i = 0; i < 4; i++) {
    net.connect(port, '127.0.0.1').on('close', () => {
      if (++closed === 4) reader(port);
    });
  }
  sleep(50);
});
