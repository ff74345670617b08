// write() on a socket never connected and not connecting: Node finds no handle and fails
// it at once (false, nothing left queued), the callback gets ERR_SOCKET_CLOSED on next
// tick, then the socket is destroyed with it. end(cb) after it does not end the stream
// and its callback gets the same error; a destroy() in the same tick emits no error; a
// second write waits behind the error and fails with it.
const net = require('net');
const { note } = require('./_lib');

for (const mode of ['plain', 'end', 'endDestroy', 'twice']) {
  const s = new net.Socket();
  s.on('error', (e) => note(mode, 'error', e.code));
  s.on('finish', () => note(mode, 'finish'));
  s.on('close', () => note(mode, 'close', s.destroyed));
  note(mode, 'write', s.write('x', (e) => note(mode, 'write cb', e ? e.code : null)), s.writableLength);
  if (mode === 'twice') {
    note(mode, 'write2', s.write('y', (e) => note(mode, 'write2 cb', e ? e.code : null)), s.writableLength);
  }
  if (mode === 'end' || mode === 'endDestroy') s.end((e) => note(mode, 'end cb', e ? e.code : null));
  if (mode === 'endDestroy') s.destroy();
  note(mode, 'after', s.destroyed, s.writableLength, s.writableEnded);
}
