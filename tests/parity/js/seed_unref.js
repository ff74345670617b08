// The seed's unref() server: after the first message it is unref'd but keeps accepting (a
// second client is served); the run ends once both clients are gone, with no 服务器关闭.
const net = require('net');
const { out, note } = require('./_lib');

const server = net.createServer();
server.on('connection', function (socket) {
  socket.write('hello');
  socket.setEncoding('utf8');
  socket.on('data', function (data) {
    console.log(data);
    server.unref();
  });
});
server.on('close', function () {
  console.log('服务器关闭');
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const client = (name, text, then) => {
    const c = net.connect(port, '127.0.0.1');
    c.setEncoding('utf8');
    c.once('data', (d) => {
      note(name, 'data', d);
      c.write(text);
      setTimeout(then, 30);
    });
    c.on('end', () => note(name, 'end'));
    c.on('close', (e) => note(name, 'close', e));
    return c;
  };
  const a = client('a', '123', () => {
    const b = client('b', '456', () => {
      out('ending both');
      a.end();
      b.end();
    });
  });
});
