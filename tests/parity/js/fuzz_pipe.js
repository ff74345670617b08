// The JS driver of the pipe's randomized differential test (`fuzz_pipe` in
// tests/parity/fuzz_pipe.rs, which generates the scripts and documents their language):
// connects the source S and the destinations D0 and D1 one after the other (their
// accepted ends are the feeder F and the sinks K0 and K1), then runs the script given as
// the first argument, one step every STEP_MS.
const net = require('net');
const { out, note } = require('./_lib');

const STEP_MS = 30;
const script = process.argv[2] || '';
const [head, ...steps] = script.split('|');
const halfOpen = head.includes('h1');
const parsed = steps.map((s) => s.split(' ').filter((t) => t.length > 0));

const code = (e) => (e ? e.code || e.message : String(e));
const server = net.createServer({ allowHalfOpen: halfOpen });
const roles = ['F', 'K0', 'K1'];
const accepted = [];
let onAccept = null;

// A socket's events: S's in the trace, the others' in notes of their own.
const watch = (s, name) => {
  const x = { s, rx: 0, closed: false };
  // Every pipe adds listeners to both ends: no MaxListenersExceededWarning on stderr
  // after the tenth (the Rust twin sets the same).
  s.setMaxListeners(0);
  // S's events after its `close` are not traced: nodenet frees a socket's listeners at
  // close (Node emits `pause` on a closed source when its last destination unpipes).
  const say =
    name === 'S' ? (...p) => !x.closed && out('S', ...p) : (...p) => note(name, ...p);
  s.on('data', (d) => (x.rx += d.length));
  // Only S's count at its end: once a pipe stops the source for good (a write into an
  // ended or destroyed destination, whose drain never comes), how much it had read hangs
  // on the size of the chunk that stopped it.
  s.on('end', () => (name === 'S' ? say('end rx', x.rx) : say('end')));
  s.on('finish', () => say('finish'));
  s.on('error', (e) => say('error', code(e)));
  s.on('close', (h) => {
    say('close', h);
    x.closed = true;
  });
  if (name === 'S') {
    s.on('pause', () => say('pause'));
    s.on('resume', () => say('resume'));
  }
  if (name === 'D0' || name === 'D1') {
    s.on('pipe', (src) => say('pipe', src === S.s));
    s.on('unpipe', (src) => say('unpipe', src === S.s));
  }
  return x;
};

server.on('connection', (s) => {
  const k = accepted.length;
  accepted.push(watch(s, roles[k]));
  if (onAccept) onAccept();
});

let S;
const D = [];
const connect = (name, then) => {
  let connected = false;
  let acceptedNow = false;
  const both = () => connected && acceptedNow && then();
  onAccept = () => {
    acceptedNow = true;
    both();
  };
  const c = net.connect({ port: server.address().port, host: '127.0.0.1', allowHalfOpen: halfOpen });
  c.on('connect', () => {
    connected = true;
    both();
  });
  return watch(c, name);
};

// Sockets' state after each operation; a closed socket's is not printed (nodenet frees it
// at close, its documented difference from Node).
const state = () => {
  const s = S.s;
  const src = S.closed ? 'S:closed' : `S:${s.readableFlowing} ${s.isPaused()} ${s.readableDidRead} ${s.destroyed}`;
  const d = D.map((x, k) =>
    x.closed
      ? `D${k}:closed`
      : `D${k}:${x.s.writableEnded ? 'e' : ''}${x.s.destroyed ? 'd' : ''}${x.s.writableCorked}`,
  );
  return `${src} ${d.join(' ')}`;
};

const op = (tok) => {
  const x = tok[0];
  const k = Number(tok[1]);
  const n = Number(tok.slice(1));
  // Operations on a closed socket are skipped (its state is gone in nodenet).
  if ('PpXS'.includes(x) && S.closed) return 'skipped (closed)';
  if ('PpD'.includes(x) && D[k].closed) return 'skipped (closed)';
  switch (x) {
    case 'P':
      return S.s.pipe(D[k].s) === D[k].s ? 'dest' : 'other';
    case 'p':
      return S.s.pipe(D[k].s, { end: false }) === D[k].s ? 'dest' : 'other';
    case 'X':
      if (tok.length === 1) return S.s.unpipe() === S.s ? 'src' : 'other';
      return S.s.unpipe(D[k].s) === S.s ? 'src' : 'other';
    case 'f':
      if (accepted[0].closed) return 'skipped (closed)';
      if (tok === 'fe') accepted[0].s.end();
      else accepted[0].s.write(Buffer.alloc(n, 'f'));
      return '-';
    case 'S':
      switch (tok[1]) {
        case 'p':
          S.s.pause();
          break;
        case 'm':
          S.s.resume();
          break;
        case 'd':
          S.s.destroy();
          break;
        default:
          throw new Error(`unknown op ${tok}`);
      }
      return '-';
    case 'D': {
      const d = D[k];
      const o = tok[2];
      switch (o) {
        case 'c':
          d.s.cork();
          break;
        case 'u':
          d.s.uncork();
          break;
        case 'e':
          d.s.end();
          break;
        case 'd':
          d.s.destroy();
          break;
        case 'x':
          d.s.destroy(Object.assign(new Error('test'), { code: 'ERR_TEST' }));
          break;
        case 'w':
          return `${d.s.write(Buffer.alloc(Number(tok.slice(3)), 'w'))}`;
        default:
          throw new Error(`unknown op ${tok}`);
      }
      return '-';
    }
    default:
      throw new Error(`unknown op ${tok}`);
  }
};

const run = (i) => {
  if (i === parsed.length) {
    out('final', state());
    // Whatever is corked goes out before the ends are destroyed.
    for (const d of D) while (d.s.writableCorked > 0) d.s.uncork();
    setTimeout(() => {
      for (const x of [S, ...D, ...accepted]) x.s.destroy();
      server.close();
    }, STEP_MS);
    return;
  }
  for (const tok of parsed[i]) {
    const r = op(tok);
    out(`${i} ${tok}: ${r} ${state()}`);
  }
  setTimeout(() => run(i + 1), STEP_MS);
};

server.listen(0, '127.0.0.1', () => {
  S = connect('S', () => {
    D.push(
      connect('D0', () => {
        D.push(connect('D1', () => run(0)));
      }),
    );
  });
});
