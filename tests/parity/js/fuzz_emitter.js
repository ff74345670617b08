// Driver of `fuzz_emitter` (tests/parity/fuzz_emitter.rs): one script of listener
// operations on a fresh socket's 'timeout' event, run synchronously. The script is
// `top;b0;b1;b2;b3`: the top ops, then what listener k does when called. Ops, separated by
// spaces:
//   o<k> on, O<k> once, p<k> prependListener, P<k> prependOnceListener: a new
//   registration of listener k (a function of its own, numbered k.r);
//   f<k> removeListener of k's latest registration still live;
//   A removeAllListeners('timeout'); e emit (printing its return; skipped past depth 2);
//   c listenerCount.
// Listeners that register listeners grow without bound from emit to emit, so past 64
// registrations made a register op only prints `full`.
// A registration already running is skipped by a nested emit, as on nodenet (see below).
'use strict';
const net = require('net');
const { out } = require('./_lib');

const [top, ...bodies] = process.argv[2].split(';');
const socket = new net.Socket();
// A limit of 2 listeners: the MaxListenersExceededWarnings, one per crossing after the
// event's listeners went down to one, come on the next tick, at the end of the trace.
socket.setMaxListeners(2);
process.removeAllListeners('warning');
process.on('warning', (w) => out('warning', w.count));
// Per listener, its live registrations in the order made: [number, function].
const live = [[], [], [], []];
let made = 0;
const CAP = 64;
const running = new Set();
let depth = 0;

const forget = (k, r) => {
  const i = live[k].findIndex(([n]) => n === r);
  if (i >= 0) live[k].splice(i, 1);
};

const run = (ops, who) => {
  for (const op of ops.split(' ').filter(Boolean)) {
    const k = Number(op.slice(1));
    switch (op[0]) {
      case 'o':
      case 'O':
      case 'p':
      case 'P': {
        if (made >= CAP) {
          out(`${who} ${op} full`);
          break;
        }
        const r = made++;
        const once = op[0] === 'O' || op[0] === 'P';
        const f = () => {
          if (once) forget(k, r);
          // nodenet's documented difference: a listener is not re-entered (a Rust FnMut
          // cannot be), so an emit from inside it skips it where Node calls it again.
          if (running.has(r)) return;
          running.add(r);
          out(`call ${k}.${r} depth ${depth}`);
          run(bodies[k] || '', `  ${k}.${r}:`);
          running.delete(r);
        };
        live[k].push([r, f]);
        const add = { o: 'on', O: 'once', p: 'prependListener', P: 'prependOnceListener' }[op[0]];
        socket[add]('timeout', f);
        out(`${who} ${op} as ${k}.${r} count ${socket.listenerCount('timeout')}`);
        break;
      }
      case 'f': {
        const last = live[k].pop();
        if (last) socket.removeListener('timeout', last[1]);
        out(`${who} ${op} count ${socket.listenerCount('timeout')}`);
        break;
      }
      case 'A':
        for (const l of live) l.length = 0;
        socket.removeAllListeners('timeout');
        out(`${who} A`);
        break;
      case 'e':
        if (depth >= 2) {
          out(`${who} e skip`);
          break;
        }
        depth++;
        out(`${who} e -> ${socket.emit('timeout')}`);
        depth--;
        break;
      case 'c':
        out(`${who} c ${socket.listenerCount('timeout')}`);
        break;
    }
  }
};

run(top, 'top');
socket.destroy();
