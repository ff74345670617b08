// A normal lifecycle, the server ending first: `end('bye')` in the connection listener.
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
  s.end('bye');
  note('srvSock', 'after end()', s.readyState);
});
server.on('close', () => out('server close'));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  watch('client', c);
  c.on('close', () => server.close());
});
