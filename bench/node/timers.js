'use strict';
// Node 24's side of benches/timers.rs: `node timers.js WORKLOAD` runs one workload and
// prints `ms <wall milliseconds>` from its first call to its last callback.
const workload = process.argv[2];
const now = () => Number(process.hrtime.bigint()) / 1e6;
const t0 = now();
const done = () => console.log(`ms ${now() - t0}`);

if (workload === 'immediates') {
  // 1,000,000 immediates, each queueing the next.
  let n = 0;
  const f = () => (++n < 1e6 ? setImmediate(f) : done());
  f();
} else if (workload === 'timers') {
  // 200,000 timers over 50 durations (1-50 ms); every other one cleared; done when the
  // last of the rest has fired.
  const M = 200000;
  let fired = 0;
  const ids = [];
  for (let i = 0; i < M; i++) {
    ids.push(setTimeout(() => ++fired === M / 2 && done(), 1 + (i % 50)));
  }
  for (let i = 0; i < M; i += 2) clearTimeout(ids[i]);
} else if (workload === 'refresh') {
  // 10,000 idle-timeout-like timers of 10 s, each refreshed 100 times, then cleared.
  const ts = [];
  for (let i = 0; i < 10000; i++) ts.push(setTimeout(() => {}, 10000));
  for (let r = 0; r < 100; r++) for (const t of ts) t.refresh();
  for (const t of ts) clearTimeout(t);
  done();
} else if (workload === 'fanout') {
  // 100,000 timers of 1 ms armed at once: one list, fired in one pass.
  let fired = 0;
  for (let i = 0; i < 1e5; i++) setTimeout(() => ++fired === 1e5 && done(), 1);
} else {
  console.error(`unknown workload ${workload}`);
  process.exit(2);
}
