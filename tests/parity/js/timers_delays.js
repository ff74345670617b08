// The delays a u64 can give (a port of Node's test-timers and test-timers-zero-timeout):
// 0, and 2^31 and more, run as 1 ms, with the 1 ms timers in the order they were armed and
// before a 2 ms timer armed after them; a 0 ms interval repeats (three runs, then cleared by
// clearTimeout). Each delay of 2^31 and up gives a TimeoutOverflowWarning on the next tick.
const { out } = require('./_lib');

// 2^31 and up do not fit in 32 bits: a TimeoutOverflowWarning each, on the next tick
// (printed here, not on stderr).
process.removeAllListeners('warning');
process.on('warning', (w) => out('warning', w.name, w.message.replace('\n', ' / ')));
for (const ms of [0, 1, 2147483648, 12345678901234]) {
  setTimeout(() => out(`timeout ${ms}`), ms);
  const iv = setInterval(() => {
    clearInterval(iv);
    out(`interval ${ms}`);
  }, ms);
}
setTimeout(() => {
  out('timeout 2, after every 1 ms one');
  let runs = 0;
  const iv = setInterval(() => {
    runs++;
    out(`interval 0 run ${runs}`);
    if (runs === 3) clearTimeout(iv);
  }, 0);
}, 2);
process.nextTick(() => out('a tick queued after the timers'));
