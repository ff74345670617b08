// The properties of a socket that was never connected (Node's quirk: readyState 'open'),
// and of a server that never listened.
const net = require('net');
const { out } = require('./_lib');

const s = new net.Socket();
out('readyState', s.readyState, 'pending', s.pending, 'connecting', s.connecting,
  'destroyed', s.destroyed);
out('readable', s.readable, 'writable', s.writable, 'allowHalfOpen', s.allowHalfOpen);
out('bytesRead', s.bytesRead, 'bytesWritten', s.bytesWritten, 'timeout', s.timeout);
out('remote', s.remoteAddress, s.remotePort, s.remoteFamily, 'local', s.localAddress,
  s.localPort, s.localFamily, 'address()', JSON.stringify(s.address()));
out('writableLength', s.writableLength, 'readableLength', s.readableLength,
  'readableFlowing', s.readableFlowing, 'isPaused', s.isPaused());
out('writableEnded', s.writableEnded, 'writableFinished', s.writableFinished,
  'writableNeedDrain', s.writableNeedDrain, 'writableCorked', s.writableCorked,
  'readableEncoding', s.readableEncoding);
out('server', s.server);
const h = new net.Socket({ allowHalfOpen: true });
out('allowHalfOpen option', h.allowHalfOpen);
const srv = net.createServer();
out('server listening', srv.listening, 'address()', srv.address(), 'maxConnections',
  srv.maxConnections);
