// A server that stops listening, then resets every open connection: once both clients
// have connected and both connections are accepted, close() (no close event yet: two
// connections are open), then resetAndDestroy() on both accepted sockets: each client
// gets ECONNRESET (read) then close(true); the accepted sockets close without error, and
// the server's close follows. (Which comes first, the second accept or the clients'
// connects, is the kernel's timing: the reset waits for both.)
const net = require('net');
const { out, note } = require('./_lib');

const accepted = [];
let connected = 0;
function maybeReset() {
  if (accepted.length < 2 || connected < 2) return;
  server.close(() => out('server close'));
  for (const a of accepted) a.resetAndDestroy();
}
const server = net.createServer((s) => {
  accepted.push(s);
  s.on('error', (e) => out('accepted error', e.code));
  s.on('close', (h) => note('accepted', 'close', h));
  maybeReset();
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  for (const name of ['client a', 'client b']) {
    const c = net.connect(port, '127.0.0.1');
    c.on('connect', () => {
      note(name, 'connect');
      connected++;
      maybeReset();
    });
    c.on('error', (e) => note(name, 'error', e.code, e.syscall));
    c.on('close', (h) => note(name, 'close', h));
  }
});
