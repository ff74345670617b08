// A connection reset before the server accepts it: the server's loop is held (a blocking
// child process) while a client connects, sends 5 bytes and resets (SO_LINGER 0). Once
// the loop runs, the server accepts it anyway: `connection` with no peer address (the
// socket has none left to read), the 5 bytes, then `read ECONNRESET` and close(true).
// Then again on a server whose sockets have no `error` listener: the reset is uncaught
// and ends the run (a Node process dies of it).
const net = require('net');
const { execFileSync } = require('child_process');
const { out } = require('./_lib');

function resetWhileHeld(port) {
  execFileSync('python3', ['-c', [
    'import socket, struct, sys',
    `s = socket.create_connection(("127.0.0.1", ${port}))`,
    's.sendall(b"hello")',
    's.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))',
    's.close()',
  ].join('\n')]);
  out('client reset');
}

const server = net.createServer((s) => {
  out('connection', s.remoteAddress, s.remotePort, s.readyState);
  s.on('data', (d) => out('data', d.length));
  s.on('end', () => out('end'));
  s.on('error', (e) => out('error', e.code, e.errno, e.syscall, e.message));
  s.on('close', (h) => {
    out('close', h);
    server.close(() => {
      out('server close');
      const bare = net.createServer((b) => {
        out('bare connection');
        b.on('data', (d) => out('bare data', d.length));
      });
      bare.listen(0, '127.0.0.1', () => resetWhileHeld(bare.address().port));
    });
  });
});
server.listen(0, '127.0.0.1', () => resetWhileHeld(server.address().port));
