// Clearing from callbacks and ticks (ports of Node's test-timers-next-tick,
// test-timers-setimmediate-infinite-loop, test-timers-immediate, test-timers-clearImmediate,
// test-timers-clear-timeout-interval-equivalent, test-timers-same-timeout-wrong-list-deleted):
// four 1 ms timers all due in the first timers phase, the first's tick clearing the second
// and third; immediates of one check phase cleared by an earlier one's tick, by an earlier
// one itself, and an immediate clearing itself as it runs; clearTimeout and clearInterval
// taking either kind; a timer clearing itself in its callback, then arming one of its own
// delay that a 1 ms timer clears.
const { out } = require('./_lib');
const { busy } = require('./_slow');

const t = [];
t[0] = setTimeout(() => {
  out('timer 1');
  process.nextTick(() => {
    out('its tick clears timers 2 and 3');
    clearTimeout(t[1]);
    clearTimeout(t[2]);
  });
}, 1);
t[1] = setTimeout(() => out('timer 2 (never)'), 1);
t[2] = setTimeout(() => out('timer 3 (never)'), 1);
t[3] = setTimeout(() => out('timer 4'), 1);
clearTimeout(setInterval(() => out('interval cleared by clearTimeout (never)'), 1));
clearInterval(setTimeout(() => out('timeout cleared by clearInterval (never)'), 1));

const im = [];
im[0] = setImmediate(() => {
  out('immediate 1');
  process.nextTick(() => {
    out('its tick clears immediates 2 and 3');
    clearImmediate(im[1]);
    clearImmediate(im[2]);
  });
});
im[1] = setImmediate(() => out('immediate 2 (never)'));
im[2] = setImmediate(() => out('immediate 3 (never)'));
im[3] = setImmediate(() => {
  out('immediate 4 clears itself and immediate 5');
  clearImmediate(im[3]);
  clearImmediate(im[4]);
});
im[4] = setImmediate(() => out('immediate 5 (never)'));
im[5] = setImmediate(() => out('immediate 6'));

const h1 = setTimeout(() => {
  out('h1 clears itself, arms h2 (40 ms) and a 1 ms timer');
  clearTimeout(h1);
  const h2 = setTimeout(() => out('h2 (never)'), 40);
  setTimeout(() => {
    out('the 1 ms timer clears h2');
    clearTimeout(h2);
  }, 1);
}, 40);
busy(5);
out('main ends');
