// Immediates queued during the check phase wait for the next one (a port of Node's
// test-timers-immediate-queue): five immediates each queue another; the first also arms a
// 1 ms timer and stays busy 2 ms, so the timer is due when the phase ends and runs between
// the two check phases, where the second round sees it ran.
const { out } = require('./_lib');
const { busy } = require('./_slow');

let timerRan = false;
const run = (i, round) => () => {
  if (timerRan) {
    out(`immediate ${i} round ${round}: the timer ran`);
    return;
  }
  if (i === 0 && round === 1) {
    setTimeout(() => {
      out('timer 1');
      timerRan = true;
    }, 1);
    busy(2);
  }
  out(`immediate ${i} round ${round}`);
  setImmediate(run(i, round + 1));
};
for (let i = 0; i < 5; i++) setImmediate(run(i, 1));
