// The JS driver of the randomized differential test (`fuzz_socket` in tests/parity/fuzz.rs,
// which generates the scripts and documents their language): runs the script given as the
// first argument, one step every STEP_MS, and prints the client's events and its state after
// each operation; the accepted socket's events go to the `peer` note.
const net = require('net');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { out, note, REFUSED_PORT } = require('./_lib');

const STEP_MS = 30;
const script = process.argv[2] || '';
const [head, ...steps] = script.split('|');
const halfOpen = head.startsWith('h1');
// `x` after the head: the client connects to a port nothing listens on.
const refused = head.endsWith('x');
// `u` after `h0` or `h1`: over a Unix socket (and `x`: to a path nothing listens on).
const unix = head.includes('u');
// `6` after `h0` or `h1`: over IPv6 loopback.
const host = head.includes('6') ? '::1' : '127.0.0.1';
// `m` in the head: the client's highWaterMark (both sides) is 40 bytes (SMALL_HWM).
const hwm = head.includes('m') ? { highWaterMark: 40 } : {};
const dir = unix ? fs.mkdtempSync(path.join(os.tmpdir(), 'nodenet-parity-fuzz-')) : null;
if (dir) process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const parsed = steps.map((s) => s.split(' ').filter((t) => t.length > 0));

// Bytes the client writes: ASCII.
const bytes = (n, c) => Buffer.alloc(n, c);
// Bytes the peer writes: PEER_BYTES over and over from its start, in every write. Whole and
// cut UTF-8 sequences, bytes UTF-8 rejects, and UTF-16LE surrogates, whole and alone, so a
// decoder the client sets meets characters split between writes and between reads.
const PEER_BYTES = [
  0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0x79, 0xf0, 0x9f, 0x98, 0x79, 0x80,
  0xff, 0x3d, 0xd8, 0x00, 0xde, 0x3d, 0xd8, 0x79,
];
const peerBytes = (n) => Buffer.from(Array.from({ length: n }, (_, i) => PEER_BYTES[i % PEER_BYTES.length]));
// Bytes, or a string's UTF-16 code units, summed (mod 2^32).
const chunkSum = (d) => {
  let sum = 0;
  if (typeof d === 'string') {
    for (let i = 0; i < d.length; i++) sum = (sum + d.charCodeAt(i)) >>> 0;
  } else {
    for (const b of d) sum = (sum + b) >>> 0;
  }
  return sum;
};
// The text received so far as nodenet's strings give it (src/stream/decoder.rs, "Unpaired
// surrogates"): a Rust string holds no unpaired surrogate, so nodenet's decoder holds back
// a high surrogate that ends the text until what follows it comes (or the stream ends),
// and gives every unpaired one as U+FFFD. Node's text (its strings joined) so transformed
// is what the traces compare.
const asNodenetText = (text, ended) =>
  (!ended && /[\uD800-\uDBFF]$/.test(text) ? text.slice(0, -1) : text).toWellFormed();
const code = (e) => (e ? e.code || e.message : String(e));

let peer = null;
let peerRx = 0;
const server = net.createServer({ allowHalfOpen: halfOpen }, (s) => {
  if (peer) {
    note('peer', 'second connection');
    s.destroy();
    return;
  }
  peer = s;
  note('peer', 'connection');
  s.on('data', (d) => (peerRx += d.length));
  s.on('end', () => note('peer', 'end rx', peerRx));
  s.on('finish', () => note('peer', 'finish'));
  s.on('error', (e) => note('peer', 'error', code(e)));
  s.on('close', (h) => note('peer', 'close', h, 'rx', peerRx));
});

// A Unix socket has no reset: resetAndDestroy() throws (ERR_INVALID_HANDLE_TYPE).
const reset = (s) => {
  try {
    s.resetAndDestroy();
    return '-';
  } catch (e) {
    return `threw ${code(e)}`;
  }
};

const onListening = () => {
  const where = unix
    ? { path: path.join(dir, refused ? 'none.sock' : 's.sock') }
    : { port: refused ? REFUSED_PORT : server.address().port, host };
  const c = net.connect({ ...where, ...hwm, allowHalfOpen: halfOpen });
  // Received: bytes (before setEncoding) counted and summed as they come; strings kept,
  // joined, for `asNodenetText`.
  let rxBytes = 0;
  let sumBytes = 0;
  let text = '';
  let ended = false;
  const rx = () => {
    const t = asNodenetText(text, ended);
    return `${rxBytes + t.length}:${(sumBytes + chunkSum(t)) >>> 0}`;
  };
  let cbs = 0;
  // A `readable` is printed once for a run of them with nothing else printed between (how
  // many reads a burst takes hangs on the kernel and the read sizes).
  let lastReadable = false;
  const outLine = (...parts) => {
    lastReadable = false;
    out(...parts);
  };
  const readable = (what) => {
    if (!lastReadable) out(what);
    lastReadable = true;
  };
  // The `readable` listeners: read everything (`L`), n at a time (`l<n>`), or, once, all
  // (`O`).
  const readAll = () => {
    readable('readable');
    while (c.read() !== null);
  };
  // (While decoding UTF-8 or UTF-16LE, read(): a read(n) that cuts a surrogate pair is
  // nodenet's documented difference, see `take_from_queue`.)
  const readBy = (n) => () => {
    readable(`readable by ${n}`);
    const whole = c.readableEncoding === 'utf8' || c.readableEncoding === 'utf16le';
    while ((whole ? c.read() : c.read(n)) !== null);
  };
  const st = () =>
    `rs=${c.readyState} wl=${c.writableLength} bw=${c.bytesWritten} rx=${rx()} ` +
    `rl=${c.readableLength > 0 ? '+' : 0} f=${c.readableFlowing} dr=${c.readableDidRead} ` +
    `d=${c.destroyed} p=${c.pending} w=${c.writable} r=${c.readable}`;
  c.on('connect', () => outLine('connect', st()));
  c.on('ready', () => outLine('ready'));
  c.on('data', (d) => {
    if (typeof d === 'string') {
      text += d;

    } else {
      rxBytes += d.length;
      sumBytes = (sumBytes + chunkSum(d)) >>> 0;
    }
  });
  c.on('end', () => {
    ended = true;
    outLine('end', st());
  });
  c.on('finish', () => outLine('finish', st()));
  c.on('drain', () => outLine('drain', st()));
  c.on('pause', () => outLine('pause', st()));
  c.on('resume', () => outLine('resume', st()));
  c.on('timeout', () => outLine('timeout', st()));
  c.on('error', (e) => outLine('error', code(e), st()));
  let closed = false;
  c.on('close', (h) => {
    outLine('close', h, st());
    closed = true;
  });

  const clientOp = (tok) => {
    const n = Number(tok.slice(1));
    switch (tok[0]) {
      case 'w':
        return c.write(bytes(n, 'x'));
      case 'S':
        return c.write('68'.repeat(n));
      case 'D':
        c.setDefaultEncoding(['utf8', 'hex', 'base64', 'latin1'][n % 4]);
        return '-';
      case 'W': {
        const k = cbs++;
        return c.write(bytes(n, 'x'), (e) => outLine('cb', k, code(e)));
      }
      case 'e':
        c.end();
        return '-';
      case 'E':
        c.end(bytes(n, 'x'));
        return '-';
      case 'k': {
        const k = cbs++;
        c.end((e) => outLine('cb', k, code(e)));
        return '-';
      }
      case 'd':
        c.destroy();
        return '-';
      case 'x': {
        const e = new Error('destroyed by the script');
        e.code = 'ERR_TEST';
        c.destroy(e);
        return '-';
      }
      case 'r':
        return reset(c);
      case 's':
        c.destroySoon();
        return '-';
      case 'c':
        c.cork();
        return '-';
      case 'u':
        c.uncork();
        return '-';
      case 'p':
        c.pause();
        return '-';
      case 'm':
        c.resume();
        return '-';
      case 't':
        c.setTimeout(n);
        return '-';
      case '8':
        c.setEncoding('utf8');
        return '-';
      case 'b':
        c.setEncoding('base64');
        return '-';
      case '6':
        c.setEncoding('utf16le');
        return '-';
      case 'n':
        c.setNoDelay(true);
        return '-';
      case 'L':
        c.on('readable', readAll);
        return '-';
      case 'l':
        c.on('readable', readBy(n));
        return '-';
      case 'O':
        c.once('readable', () => {
          readable('readable once');
          while (c.read() !== null);
        });
        return '-';
      case 'Q':
        c.removeAllListeners('readable');
        return '-';
      case 'U':
        return c.unshift(bytes(n, 'y'));
      case 'Z':
        return c.read(0) === null ? 'null' : '+';
      case 'R': {
        const got = n > 0 ? c.read(n) : c.read();
        return got === null ? 'null' : n > 0 ? String(got.length) : '+';
      }
      default:
        throw new Error(`unknown op ${tok}`);
    }
  };
  const peerOp = (tok) => {
    if (!peer) return 'no peer';
    const n = Number(tok.slice(1));
    switch (tok[0]) {
      case 'w':
        peer.write(peerBytes(n));
        break;
      case 'e':
        peer.end();
        break;
      case 'd':
        peer.destroy();
        break;
      case 'r': {
        const r = reset(peer);
        if (r !== '-') return `peer ${r}`;
        break;
      }
      default:
        throw new Error(`unknown peer op ${tok}`);
    }
    return `peer destroyed=${peer.destroyed}`;
  };

  const run = (i) => {
    if (i === parsed.length) {
      if (!closed) outLine('final', st());
      c.destroy();
      if (peer) peer.destroy();
      server.close();
      return;
    }
    for (const tok of parsed[i]) {
      if (tok[0] === 'P') {
        outLine(`${i} ${tok}:`, peerOp(tok.slice(1)));
      } else if (closed) {
        outLine(`${i} ${tok}: skipped (closed)`);
      } else {
        const r = clientOp(tok);
        outLine(`${i} ${tok}: ${r}`, st());
      }
    }
    setTimeout(() => run(i + 1), STEP_MS);
  };
  // Step 0 runs at once: while the client still connects.
  run(0);
};
if (unix) server.listen(path.join(dir, 's.sock'), onListening);
else server.listen(0, host, onListening);
