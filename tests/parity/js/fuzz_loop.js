// Driver of `fuzz_loop` (tests/parity/fuzz_loop.rs): one script of next ticks, immediates
// and timers, run by the event loop. The script is `main;b0;b1;b2;b3;b4`: what the main
// script does, then what task k does when it runs. Ops, separated by spaces:
//   t<k> process.nextTick(task k); i<k> setImmediate(task k);
//   T<k> setTimeout(task k, 50); U<k> setTimeout(task k, 150);
//   V<k> setInterval(task k, 100), cleared by its second run;
//   c clearTimeout of the latest timer not yet cleared; u and r unref and ref that timer;
//   x clearImmediate of the latest immediate not yet cleared; n unref that immediate.
// Timers are only set before the loop starts (by the main script and the ticks it queues),
// and each of T, U and V once (elsewhere, and again, they print `skip`), so every timer
// counts from about the same moment and they are 50 ms apart: the order of a run does not
// hang on the machine's speed. (Two timers of one delay set a few microseconds apart run in
// one timers phase or in two, as Node's millisecond clock ticks between them or not.) Past
// 60 scheduled tasks a scheduling op prints `full`. A script clears timers or unrefs
// immediates, not both: the first of `c` and `n` it meets makes the other print `skip`
// (Node's loop still wakes at a cleared timer's deadline, where it then runs unref'd
// immediates; nodenet's does not: a documented difference, see src/rt/mod.rs).
'use strict';
const { out } = require('./_lib');

const [main, ...bodies] = process.argv[2].split(';');
const CAP = 60;
let made = 0;
const timers = [];
const immediates = [];
const used = new Set();
// The first of `c` and `n` met: the other is skipped.
let clearOrUnref = '';

const run = (ops, who, early) => {
  for (const op of ops.split(' ').filter(Boolean)) {
    const k = Number(op.slice(1)) || 0;
    const kind = op[0];
    if ('tiTUV'.includes(kind)) {
      if ('TUV'.includes(kind)) {
        if (!early || used.has(kind)) {
          out(`${who} ${op} skip`);
          continue;
        }
        used.add(kind);
      }
      if (made >= CAP) {
        out(`${who} ${op} full`);
        continue;
      }
      const r = made++;
      const task = (late) => run(bodies[k] || '', `  ${k}.${r}:`, late);
      if (kind === 't') {
        process.nextTick(() => {
          out(`tick ${k}.${r}`);
          task(early);
        });
      } else if (kind === 'i') {
        immediates.push(
          setImmediate(() => {
            out(`immediate ${k}.${r}`);
            task(false);
          }),
        );
      } else if (kind === 'V') {
        let runs = 0;
        const h = setInterval(() => {
          runs++;
          out(`interval ${k}.${r} run ${runs}`);
          if (runs === 2) clearInterval(h);
          task(false);
        }, 100);
        timers.push(h);
      } else {
        const ms = kind === 'T' ? 50 : 150;
        timers.push(
          setTimeout(() => {
            out(`timeout ${k}.${r} ${ms}`);
            task(false);
          }, ms),
        );
      }
      out(`${who} ${op} as ${k}.${r}`);
      continue;
    }
    if (kind === 'c' || kind === 'n') {
      if (clearOrUnref && clearOrUnref !== kind) {
        out(`${who} ${op} skip`);
        continue;
      }
      clearOrUnref = kind;
    }
    switch (kind) {
      case 'c':
        if (timers.length) clearTimeout(timers.pop());
        out(`${who} c`);
        break;
      case 'u':
        if (timers.length) timers[timers.length - 1].unref();
        out(`${who} u`);
        break;
      case 'r':
        if (timers.length) timers[timers.length - 1].ref();
        out(`${who} r`);
        break;
      case 'x':
        if (immediates.length) clearImmediate(immediates.pop());
        out(`${who} x`);
        break;
      case 'n':
        if (immediates.length) immediates[immediates.length - 1].unref();
        out(`${who} n`);
        break;
    }
  }
};

run(main, 'main', true);
out('main ends');
