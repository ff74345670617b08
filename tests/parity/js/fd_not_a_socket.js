// Descriptors that are not sockets: new net.Socket({ fd }) throws ERR_OUT_OF_RANGE for -1
// and ERR_INVALID_FD_TYPE for a regular file; server.listen({ fd }) on the file does not
// throw but emits error (EINVAL, syscall listen) on next tick, ahead of a tick queued
// after it, and does not listen; listen({ fd: -1 }) throws ERR_INVALID_ARG_VALUE.
const net = require('net');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { out } = require('./_lib');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodenet-parity-fd-'));
const file = fs.openSync(path.join(dir, 'file'), 'w+');

for (const [label, fd] of [['-1', -1], ['file', file]]) {
  try {
    new net.Socket({ fd });
    out('socket', label, 'created');
  } catch (e) {
    out('socket', label, 'throws', e.code, e.message);
  }
}

const server = net.createServer();
server.on('listening', () => out('listening'));
server.on('error', (e) => {
  out('listen error', e.code, e.errno, e.syscall, e.message, server.listening);
  fs.closeSync(file);
  fs.rmSync(dir, { recursive: true });
});
server.listen({ fd: file });
out('listen returned', server.listening);
process.nextTick(() => out('tick'));

try {
  net.createServer().listen({ fd: -1 });
  out('listen fd -1 returned');
} catch (e) {
  out('listen fd -1 throws', e.code);
}
