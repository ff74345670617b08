// A normal lifecycle, the client ending first: the server echoes `hello`, the client ends
// when the echo arrives; readyState at every event.
const net = require('net');
const { out, note } = require('./_lib');

const watch = (name, s) => {
  for (const ev of ['connect', 'ready', 'end', 'finish']) {
    s.on(ev, () => note(name, ev, s.readyState));
  }
  s.on('data', (d) => note(name, 'data', d, s.readyState));
  s.on('close', (e) => note(name, 'close', e, s.readyState));
};

const server = net.createServer((s) => {
  out('server connection');
  watch('srvSock', s);
  s.on('data', (d) => s.write(d));
});
server.on('listening', () => out('server listening'));
server.on('close', () => out('server close'));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  note('client', 'after connect()', c.readyState, c.connecting, c.pending);
  watch('client', c);
  c.on('connect', () => c.write('hello'));
  c.on('data', () => {
    c.end();
    note('client', 'after end()', c.readyState, c.writableEnded);
  });
  c.on('close', () => server.close());
});
