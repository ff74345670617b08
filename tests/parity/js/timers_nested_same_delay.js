// A timer armed in a timer's callback with the same delay (ports of Node's
// test-timers-nested, test-timers-ordering, test-timers-timeout-with-non-integer): it never
// runs in the timers phase that armed it, even when the callback stays busy past its
// deadline: the tick and the immediate the callback queued come first. Done with 0 ms
// (1 ms) and 20 ms; then a chain of 30 1 ms timers, each armed by the one before, in order.
const { out } = require('./_lib');
const { busy } = require('./_slow');

setTimeout(() => {
  out('A (0 ms) arms B (0 ms)');
  setTimeout(() => {
    out('B');
    part2();
  }, 0);
  process.nextTick(() => out('tick after A'));
  setImmediate(() => out('immediate from A'));
}, 0);

function part2() {
  setTimeout(() => {
    out('A2 (20 ms) arms B2 (20 ms), then is busy 20 ms');
    setTimeout(() => {
      out('B2');
      part3();
    }, 20);
    busy(20);
    process.nextTick(() => out('tick after A2'));
    setImmediate(() => out('immediate from A2'));
  }, 20);
}

function part3() {
  let last = 0;
  const f = (i) => {
    if (i !== last + 1) out(`chain out of order: ${i} after ${last}`);
    last = i;
    if (i < 30) setTimeout(() => f(i + 1), 1);
    else out('chain of 30 in order');
  };
  setTimeout(() => f(1), 1);
}
