// A Unix server's address(): null before any listen, then the path from the listen() call
// on: before `listening`, while listening, after close() and after `close`; a listen that
// fails (a path in a directory that does not exist) answers its path too, with the error.
// Paths are shown as P and Q.
const net = require('net');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { out } = require('./_lib');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodenet-parity-unix-address-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const p = path.join(dir, 's.sock');
const q = path.join(dir, 'missing', 's.sock');
const show = (a) => (a === p ? 'P' : a === q ? 'Q' : String(a));

const s = net.createServer();
out('before listen', show(s.address()));
s.listen(p);
out('after listen()', show(s.address()), 'listening', s.listening);
s.on('listening', () => {
  out('listening', show(s.address()));
  s.close(() => {
    out('closed', show(s.address()), 'listening', s.listening);
    const t = net.createServer();
    t.on('error', (e) => out('error', e.code, e.syscall, show(t.address()), 'listening', t.listening));
    t.listen(q);
    out('failing listen()', show(t.address()));
  });
  out('after close()', show(s.address()), 'listening', s.listening);
});
