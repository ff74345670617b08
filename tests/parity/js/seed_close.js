// The seed's close() server: after the first message it stops accepting (a second client
// is refused), the first connection carries on, and 服务器关闭 comes once it is gone.
const net = require('net');
const { out, note } = require('./_lib');

const server = net.createServer();
server.on('connection', function (socket) {
  socket.write('hello');
  socket.setEncoding('utf8');
  socket.on('data', function (data) {
    console.log(data);
    server.close();
  });
});
server.on('close', function () {
  console.log('服务器关闭');
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const a = net.connect(port, '127.0.0.1');
  a.setEncoding('utf8');
  a.once('data', (d) => {
    note('a', 'data', d);
    a.write('哈哈');
    setTimeout(() => {
      out('a still writable', a.writable);
      const b = net.connect(port, '127.0.0.1');
      b.on('connect', () => out('b connect'));
      b.on('error', (e) => out('b error', e.code));
      b.on('close', (e) => {
        out('b close', e);
        a.write('嘿嘿');
        setTimeout(() => a.end(), 30);
      });
    }, 30);
  });
  a.on('end', () => note('a', 'end'));
  a.on('close', (e) => note('a', 'close', e));
});
