// end('early') while connecting: legal; the data and FIN follow the connect.
const net = require('net');
const { out, note } = require('./_lib');

const watch = (name, s) => {
  for (const ev of ['connect', 'ready', 'end', 'finish']) {
    s.on(ev, () => note(name, ev, s.readyState));
  }
  s.on('data', (d) => note(name, 'data', d, s.readyState));
  s.on('close', (e) => note(name, 'close', e, s.readyState));
};

const server = net.createServer((s) => watch('srvSock', s));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.end('early');
  out('after end()', c.writableEnded, c.readyState);
  watch('client', c);
  c.on('close', () => server.close());
});
