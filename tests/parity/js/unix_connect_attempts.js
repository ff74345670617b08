// A connect to a Unix path has an attempt too, announced inside connect() (seen by a
// listener added before the call), with the path and no port or family:
// - a path nothing listens on: connectionAttemptFailed (ENOENT) on the loop, then the
//   error and close(true);
// - a path too long for a socket address: the connect refuses it at once, with no failed
//   attempt;
// - a listening path: the attempt, then connect.
// Paths are shown as P.
const net = require('net');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { out } = require('./_lib');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodenet-parity-unix-'));
const missing = path.join(dir, 'missing.sock');
const long = path.join(dir, 'x'.repeat(200));
const live = path.join(dir, 'live.sock');

function attempt(name, p, then) {
  const s = new net.Socket();
  const show = (x) => String(x).split(p).join('P');
  s.on('connectionAttempt', (a, port, family) => out(name, 'attempt', show(a), port, family));
  s.on('connectionAttemptFailed', (a, port, family, e) =>
    out(name, 'failed', show(a), port, family, e.code));
  s.on('connect', () => {
    out(name, 'connect');
    s.end();
  });
  s.on('error', (e) => out(name, 'error', e.code, e.syscall, show(e.address), show(e.message)));
  s.on('close', (h) => {
    out(name, 'close', h);
    then();
  });
  s.connect(p);
  out(name, 'connect() returned', s.connecting);
}

const server = net.createServer((c) => c.end());
server.listen(live, () => {
  attempt('missing', missing, () =>
    attempt('long', long, () =>
      attempt('live', live, () =>
        server.close(() => fs.rmSync(dir, { recursive: true, force: true })))));
});
