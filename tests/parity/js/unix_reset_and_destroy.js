// resetAndDestroy() on Unix sockets, which have no reset: Node throws
// ERR_INVALID_HANDLE_TYPE (a TypeError) for a client still connecting, for it once
// connected and for the accepted socket, and leaves each as it was (the connection goes on:
// the client's write still arrives). Then an uncaught one: the process dies with it.
const net = require('net');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { out } = require('./_lib');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodenet-parity-unix-reset-'));
const p = path.join(dir, 's.sock');
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

function attempt(who, s) {
  try {
    s.resetAndDestroy();
    out(who, 'returned');
  } catch (e) {
    out(who, 'threw', e.code, e.name, e.message, 'destroyed', s.destroyed);
  }
}

const server = net.createServer((s) => {
  out('connection');
  attempt('accepted', s);
  s.on('data', (d) => {
    out('accepted data', d.length);
    // Uncaught: the process ends here.
    s.resetAndDestroy();
  });
});
server.listen(p, () => {
  const c = net.connect(p);
  attempt('connecting', c);
  c.on('connect', () => {
    out('connect');
    attempt('connected', c);
    c.write('hi');
  });
  c.on('close', (h) => out('client close', h));
});
