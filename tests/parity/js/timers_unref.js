// unref and ref of timers (ports of Node's test-timers-unref,
// test-timers-unrefd-interval-still-fires, test-timers-unenroll-unref-interval,
// test-timers-unref-throw-then-ref): hasRef through a chain of unref and ref; unref'd
// intervals run while a ref'd timer keeps the loop (two clear themselves at once, by
// clearTimeout and by clearInterval; one runs three times, then clears itself and the
// timer that kept the loop, and the run ends); an unref'd timeout that refs itself in its
// callback keeps nothing alive; a timeout unref'd then ref'd runs.
const { out } = require('./_lib');

const t = setTimeout(() => out('long timeout (never)'), 10000);
out(`hasRef ${t.hasRef()}`);
t.unref().ref().unref();
out(`after unref, ref, unref: hasRef ${t.hasRef()}`);
setInterval(() => out('long interval (never)'), 10000).unref().ref().unref();
const keep = setTimeout(() => out('keep (never)'), 1000);
const a = setInterval(() => {
  out("unref'd interval a clears itself by clearTimeout");
  clearTimeout(a);
}, 40).unref();
const b = setInterval(() => {
  out("unref'd interval b clears itself by clearInterval");
  clearInterval(b);
}, 40).unref();
let runs = 0;
const c = setInterval(() => {
  runs++;
  out(`unref'd interval c run ${runs}`);
  if (runs === 3) {
    clearInterval(c);
    clearTimeout(keep);
    out('c clears itself and keep');
  }
}, 40).unref();
const u = setTimeout(() => {
  out("unref'd timeout refs itself in its callback");
  u.ref();
}, 40).unref();
setTimeout(() => out("timeout unref'd then ref'd runs"), 60)
  .unref()
  .ref();
