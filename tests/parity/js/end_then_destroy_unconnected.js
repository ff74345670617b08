// end(cb) and then, in the same tick, destroy(), destroy(err) or resetAndDestroy() on a
// socket never connected: the `finish` that end() queued still comes, after the end
// callback (given no error), and before the destroy's error and `close`.
const net = require('net');
const { note } = require('./_lib');

for (const mode of ['destroy', 'destroyErr', 'reset']) {
  const s = new net.Socket();
  s.on('error', (e) => note(mode, 'error', e.code || e.message));
  s.on('finish', () => note(mode, 'finish', s.writableFinished));
  s.on('close', () => note(mode, 'close', s.destroyed));
  s.end((e) => note(mode, 'end cb', e ? e.code : null));
  if (mode === 'destroyErr') s.destroy(new Error('boom'));
  else if (mode === 'reset') s.resetAndDestroy();
  else s.destroy();
  note(mode, 'after', s.destroyed, s.writableFinished);
}
