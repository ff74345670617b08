// refresh() (a port of Node's test-timers-refresh, and the refresh of
// test-timers-not-emit-duration-zero): a refreshed timer goes behind the timers of its delay
// armed after it, ref'd or not (an unref'd one stays unref'd, and runs while others keep the
// loop); an interval refreshed before its first run too; a refresh pushes the deadline
// back (a 60 ms timer refreshed at 40 ms runs after an 80 ms one); a refreshed timer that
// is cleared never runs; an unref'd timer refreshed keeps nothing alive.
const { out } = require('./_lib');

const a = setTimeout(() => out('A (refreshed: after B)'), 20);
setTimeout(() => out('B'), 20);
a.refresh();
const u = setTimeout(() => out("U (unref'd, refreshed: after V)"), 20);
u.unref();
setTimeout(() => out('V'), 20);
u.refresh();
out(`U has a ref after its refresh: ${u.hasRef()}`);
const t60 = setTimeout(() => out('T60, refreshed at 40 ms'), 60);
let runs = 0;
const iv = setInterval(() => {
  runs++;
  out(`interval run ${runs}`);
  if (runs === 2) {
    clearInterval(iv);
    t60.refresh();
  }
}, 20);
setTimeout(() => out('W'), 20);
iv.refresh();
setTimeout(() => out('timer 80'), 80);
const r = setTimeout(() => out('refreshed then cleared (never)'), 20);
r.refresh();
clearTimeout(r);
const z = setTimeout(() => out("unref'd, refreshed at the end (never)"), 200);
z.unref();
setTimeout(() => {
  out('timer 140 refreshes the unref\'d one');
  z.refresh();
}, 140);
