// An interval is re-armed from the clock's time just before its callback runs (Node reads
// it with getLibuvNow()), not from when it was due: a slow timer ahead of it in the same
// timers phase pushes its next run back, and a timer due in between comes first (a timer of
// 230 ms, before the interval's 220 + 20).
const { out } = require('./_lib');
const { busy } = require('./_slow');

setTimeout(() => {
  out('slow timer');
  busy(200);
}, 20);
let n = 0;
const iv = setInterval(() => {
  n += 1;
  out('interval', String(n));
  if (n === 2) clearInterval(iv);
}, 20);
setTimeout(() => out('timer 230'), 230);
