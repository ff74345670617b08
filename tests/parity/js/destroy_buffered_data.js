// Read data buffered in a paused socket when it is destroyed: Node marks the stream closed
// on the destroy's next tick, and only a flow or a read() before that mark emits the data.
// So resume() then destroy() emits it, destroy() then resume() does not (the resume's tick
// comes after the mark, and takes the data without emitting it); read() in the destroy's
// tick returns and emits it, read() a tick later returns it without `data`. The same with
// an error. (A fuzz_socket difference: a write the kernel refused destroyed the socket.)
const net = require('net');
const { out } = require('./_lib');

const cases = [
  ['destroy resume', (c) => { c.destroy(); c.resume(); }],
  ['resume destroy', (c) => { c.resume(); c.destroy(); }],
  ['destroy read', (c) => { c.destroy(); out('  read', c.read()?.length ?? null); }],
  ['destroy tick read', (c) => {
    c.destroy();
    process.nextTick(() => out('  read', c.read()?.length ?? null, 'left', c.readableLength));
  }],
  ['destroy(err) resume', (c) => { c.destroy(new Error('boom')); c.resume(); }],
  ['resume destroy(err)', (c) => { c.resume(); c.destroy(new Error('boom')); }],
  ['resume pause destroy', (c) => { c.resume(); c.pause(); c.destroy(); }],
];

const server = net.createServer((s) => {
  s.on('error', () => {});
  s.write(Buffer.alloc(100000, 'a'));
});

function run(i) {
  if (i === cases.length) {
    server.close(() => out('server closed'));
    return;
  }
  const [name, act] = cases[i];
  const c = net.connect(server.address().port, '127.0.0.1');
  let rx = 0;
  c.on('data', (d) => { rx += d.length; out('  data', d.length, 'destroyed', c.destroyed); });
  c.on('error', (e) => out('  error', e.code || e.message, 'rx', rx));
  c.on('close', (h) => { out('  close', h, 'rx', rx); run(i + 1); });
  c.on('connect', () => {
    c.pause();
    setTimeout(() => {
      out(name, 'buffered', c.readableLength);
      act(c);
      out('  after', c.destroyed, 'left', c.readableLength);
    }, 50);
  });
}

server.listen(0, '127.0.0.1', () => run(0));
