// The seed's second server (greet with `hello`, print what arrives as UTF-8), driven by a
// client that reads the greeting, sends 哈哈, then 嘿嘿 30 ms later, and ends 30 ms after that.
const net = require('net');
const { out, note } = require('./_lib');

const server = net.createServer();
server.on('connection', function (socket) {
  socket.write('hello');
  socket.setEncoding('utf8');
  socket.on('data', function (data) {
    console.log(data);
  });
  socket.on('close', (e) => note('srvSock', 'close', e));
});
server.on('close', () => out('server close'));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('data', (d) => {
    note('client', 'data', d);
    c.write('哈哈');
    setTimeout(() => {
      c.write('嘿嘿');
      setTimeout(() => c.end(), 30);
    }, 30);
  });
  c.on('end', () => note('client', 'end'));
  c.on('close', (e) => {
    note('client', 'close', e);
    server.close();
  });
});
