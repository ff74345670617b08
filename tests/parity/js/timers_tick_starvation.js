// Next ticks run before anything else the loop does (ports of Node's
// test-next-tick-intentional-starvation and test-next-tick-ordering2): a tick that queues a
// 0 ms timer and another tick sees that tick first; a chain of ticks that re-queue
// themselves for 100 ms holds back a 50 ms timer and an immediate until it stops. Then the
// first timers phase runs both timers (the 1 ms list comes due first), then the check phase
// the immediate.
const { out } = require('./_lib');

const start = Date.now();
let spins = 0;
process.nextTick(() => {
  out('first tick');
  setTimeout(() => out('timeout 0 set by a tick'), 0);
  process.nextTick(() => out('tick queued by a tick'));
});
const spin = () => {
  spins++;
  if (Date.now() - start >= 100) {
    out(`ticks stop after 100 ms, more than one: ${spins > 1}`);
    return;
  }
  process.nextTick(spin);
};
process.nextTick(spin);
setTimeout(() => out('timeout 50, held back by the ticks'), 50);
setImmediate(() => out('immediate'));
out('main ends');
