// The JS driver of the server-side randomized differential test (`fuzz_server` in
// tests/parity/fuzz_server.rs, which generates the scripts and documents their language):
// runs the script given as the first argument, one step every STEP_MS, and prints the
// server's events, each operation with the server's `listening` after it, and every
// client's and accepted socket's events in a note of its own.
const net = require('net');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { out, note, REFUSED_PORT } = require('./_lib');

const STEP_MS = 30;
const script = process.argv[2] || '';
const [head, ...steps] = script.split('|');
const halfOpen = head.includes('h1');
const pauseOnConnect = head.includes('p1');
// `u` in the head: the server listens on a Unix socket, and clients connect to its path
// (which is gone while it does not listen).
const unix = head.includes('u');
const dir = unix ? fs.mkdtempSync(path.join(os.tmpdir(), 'nodenet-parity-fuzz-server-')) : null;
if (dir) process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const sockPath = dir && path.join(dir, 's.sock');
// `6` in the head: over IPv6 loopback.
const host = head.includes('6') ? '::1' : '127.0.0.1';
// `m` in the head: every socket's highWaterMark is 40 bytes (the server's option, and
// each client's).
const hwm = head.includes('m') ? { highWaterMark: 40 } : {};
const parsed = steps.map((s) => s.split(' ').filter((t) => t.length > 0));

const bytes = (n, c) => Buffer.alloc(n, c);
const code = (e) => (e ? e.code || e.message : String(e));

const server = net.createServer({ allowHalfOpen: halfOpen, pauseOnConnect, ...hwm });
let refed = true;

// Accepted sockets, in the order of their `connection` events.
const accepted = [];
server.on('connection', (s) => {
  const k = accepted.length;
  const a = { s, rx: 0, closed: false };
  accepted.push(a);
  out('connection', k, 'paused', s.isPaused());
  const name = `s${k}`;
  s.on('data', (d) => (a.rx += d.length));
  s.on('end', () => note(name, 'end rx', a.rx));
  s.on('finish', () => note(name, 'finish'));
  s.on('drain', () => note(name, 'drain'));
  s.on('error', (e) => note(name, 'error', code(e)));
  s.on('close', (h) => {
    note(name, 'close', h, 'rx', a.rx);
    a.closed = true;
  });
});
server.on('listening', () => out('listening'));
server.on('close', () => out('close'));
server.on('error', (e) => out('error', code(e)));
// On a Unix socket Node's `drop` has no argument; nodenet's has every field `None`.
server.on('drop', (d) => out('drop', d?.localAddress, d?.remoteAddress, d?.remoteFamily));

// Clients, in the order the script makes them.
const clients = [];
const newClient = () => {
  const k = clients.length;
  const addr = server.address();
  const where = unix
    ? { path: sockPath }
    : { port: addr ? addr.port : REFUSED_PORT, host };
  const c = net.connect({ ...where, allowHalfOpen: halfOpen, ...hwm });
  const cl = { c, rx: 0, closed: false };
  clients.push(cl);
  const name = `c${k}`;
  c.on('connect', () => note(name, 'connect'));
  c.on('data', (d) => (cl.rx += d.length));
  c.on('end', () => note(name, 'end rx', cl.rx));
  c.on('finish', () => note(name, 'finish'));
  c.on('drain', () => note(name, 'drain'));
  c.on('error', (e) => note(name, 'error', code(e)));
  c.on('close', (h) => {
    note(name, 'close', h, 'rx', cl.rx);
    cl.closed = true;
  });
  return `c${k}`;
};

// An operation on a socket (a client or an accepted one).
const sockOp = (x, op, n, fill) => {
  if (!x) return 'none';
  if (x.closed) return 'skipped (closed)';
  const s = x.c || x.s;
  switch (op) {
    case 'w': {
      const ret = s.write(bytes(n, fill));
      return `ret=${ret} rs=${s.readyState} d=${s.destroyed}`;
    }
    case 'e':
      s.end();
      break;
    case 'E':
      s.end(bytes(n, fill));
      break;
    case 's':
      s.destroySoon();
      break;
    case 'd':
      s.destroy();
      break;
    case 'r':
      // A Unix socket has no reset: Node throws.
      try {
        s.resetAndDestroy();
      } catch (e) {
        return `threw ${code(e)}`;
      }
      break;
    case 'p':
      s.pause();
      break;
    case 'm':
      s.resume();
      break;
    case 'L':
      s.on('readable', () => {
        while (s.read() !== null);
      });
      break;
    case 'Q':
      s.removeAllListeners('readable');
      break;
    case 'k':
    case 'u':
      if (op === 'k') s.cork();
      else s.uncork();
      return `corked=${s.writableCorked} rs=${s.readyState}`;
    default:
      throw new Error(`unknown socket op ${op}`);
  }
  return `rs=${s.readyState} d=${s.destroyed}`;
};

let cbs = 0;
const op = (tok) => {
  switch (tok[0]) {
    case 'L':
      try {
        if (unix) server.listen(sockPath);
        else server.listen(0, host);
        return '-';
      } catch (e) {
        return `throws ${code(e)}`;
      }
    case 'C':
      server.close();
      return '-';
    case 'K': {
      const k = cbs++;
      server.close((e) => out('cb', k, 'close', code(e)));
      return '-';
    }
    case 'U':
      server.unref();
      refed = false;
      return '-';
    case 'R':
      server.ref();
      refed = true;
      return '-';
    case 'M':
      server.maxConnections = tok[1] === '-' ? Infinity : Number(tok.slice(1));
      return '-';
    case 'G': {
      const k = cbs++;
      server.getConnections((e, n) => out('cb', k, 'getConnections', code(e), n));
      return '-';
    }
    case 'A': {
      const a = server.address();
      if (typeof a === 'string') return a === sockPath ? 'the path' : a;
      return a ? `${a.address} ${a.family}` : 'null';
    }
    case 'n':
      return newClient();
    case 'c':
      return sockOp(clients[Number(tok[1])], tok[2], Number(tok.slice(3)), 'x');
    case 's':
      return sockOp(accepted[Number(tok[1])], tok[2], Number(tok.slice(3)), 'y');
    default:
      throw new Error(`unknown op ${tok}`);
  }
};

const run = (i) => {
  if (i === parsed.length) {
    out('final', server.listening, 'refed', refed);
    for (const c of clients) c.c.destroy();
    for (const a of accepted) a.s.destroy();
    // An unref'd server is left listening: the run must end all the same.
    if (refed) server.close();
    return;
  }
  for (const tok of parsed[i]) {
    const r = op(tok);
    out(`${i} ${tok}: ${r} l=${server.listening}`);
  }
  setTimeout(() => run(i + 1), STEP_MS);
};
run(0);
