// Writes made while connecting are queued (counted in UTF-16 units for strings, bytes for
// bytesWritten) and sent first, in order, once connected, from a connect listener added by
// the first of them: a connect listener added before the writes sees them still queued, one
// added after sees them sent.
const net = require('net');
const { out, note } = require('./_lib');

const server = net.createServer((s) => {
  let got = '';
  s.setEncoding('utf8');
  s.on('data', (d) => (got += d));
  s.on('end', () => note('srvSock', 'got', got, 'bytesRead', s.bytesRead));
});
const client = (name, listenerFirst, then) => {
  const c = net.connect(server.address().port, '127.0.0.1');
  const onConnect = () => {
    out(name, 'connect writableLength', c.writableLength);
    c.end(' after');
  };
  if (listenerFirst) c.on('connect', onConnect);
  out(name, 'write', c.write('é'.repeat(10), () => out(name, 'cb 1')));
  out(name, 'write', c.write(' before', () => out(name, 'cb 2')));
  out(name, 'writableLength', c.writableLength, 'bytesWritten', c.bytesWritten, c.pending);
  if (!listenerFirst) c.on('connect', onConnect);
  c.on('ready', () => out(name, 'ready writableLength', c.writableLength));
  c.on('finish', () => out(name, 'finish bytesWritten', c.bytesWritten));
  c.on('close', then);
};
server.listen(0, '127.0.0.1', () => {
  client('late', false, () => client('early', true, () => server.close()));
});
