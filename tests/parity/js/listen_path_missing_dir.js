// Listening on a Unix path in a directory that does not exist
// (test-net-better-error-messages-listen-path): no `listening`, an `error` that names the
// path (code, syscall, errno, address, message), not followed by `close`.
const net = require('net');
const { out } = require('./_lib');

const p = '/nodenet-no-such-dir/x.sock';
const server = net.createServer(() => out('connection'));
server.on('listening', () => out('listening'));
server.on('close', () => out('close'));
server.on('error', (e) => {
  out('error', e.code, e.syscall, e.errno, e.address, e.message, server.listening);
});
server.listen(p);
setTimeout(() => out('later'), 50);
