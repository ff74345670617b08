// readableAll / writableAll on a Unix-socket server: the socket file's permission bits after
// listen (exactly r--r--r--, -w--w--w- or rw-rw-rw-, whatever they were), a client connects
// to the world-writable one; on an abstract path (leading \0) listen() throws
// ERR_INVALID_ARG_VALUE and the server does not listen.
const net = require('net');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { out } = require('./_lib');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodenet-parity-all-'));
const cases = [
  ['none', {}],
  ['readableAll', { readableAll: true }],
  ['writableAll', { writableAll: true }],
  ['both', { readableAll: true, writableAll: true }],
];

function next(i) {
  if (i === cases.length) return abstract();
  const [name, opts] = cases[i];
  const p = path.join(dir, `${name}.sock`);
  const server = net.createServer((s) => s.end('hi'));
  server.listen({ path: p, ...opts }, () => {
    const mode = fs.statSync(p).mode;
    out(name, 'listening', fs.statSync(p).isSocket(), (mode & 0o777).toString(8));
    const c = net.connect(p);
    c.on('data', (d) => out(name, 'client data', d));
    c.on('close', () => server.close(() => next(i + 1)));
  });
}

function abstract() {
  for (const opts of [{ readableAll: true }, { writableAll: true }]) {
    const server = net.createServer();
    server.on('error', (e) => out('error event', e.code));
    try {
      server.listen({ path: `\0nodenet-parity-abstract-${process.pid}`, ...opts });
      out('abstract returned');
    } catch (e) {
      out('abstract', Object.keys(opts)[0], 'throws', e.code, server.listening);
    }
  }
  fs.rmSync(dir, { recursive: true });
}

next(0);
