// refresh() of a timeout that already ran arms it again, its callback included (ports of
// the refresh-after-run parts of Node's test-timers-refresh-in-callback and
// test-timers-refresh): refreshed in its own callback, it runs twice; refreshed from a
// tick after it ran, it runs again too; and hasRef() of a timeout that ran reads true.
const { out } = require('./_lib');

let runs = 0;
const t = setTimeout(() => {
  runs++;
  out(`timeout run ${runs}`);
  if (runs === 1) t.refresh();
}, 20);
let fruns = 0;
const f = setTimeout(() => {
  fruns++;
  out(`f run ${fruns}`);
  if (fruns === 1) {
    process.nextTick(() => {
      f.refresh();
      out(`f refreshed from a tick, hasRef ${f.hasRef()}`);
    });
  }
}, 100);
