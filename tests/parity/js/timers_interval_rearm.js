// An interval is put back in its list after its callback, from the time read just before
// it (Node's listOnTimeout): a 20 ms timeout its first run arms goes ahead of it, and its
// second run comes before; a refresh in its own callback changes nothing, even after the
// callback was busy 30 ms (the 40 ms interval's second run still comes at 80 ms, before a
// 100 ms timer).
const { out } = require('./_lib');
const { busy } = require('./_slow');

let runs = 0;
const iv = setInterval(() => {
  runs++;
  out(`interval run ${runs}`);
  if (runs === 1) setTimeout(() => out("timeout armed by the interval's first run"), 20);
  if (runs === 2) {
    clearInterval(iv);
    part2();
  }
}, 20);

function part2() {
  let runs = 0;
  const iv = setInterval(() => {
    runs++;
    out(`40 ms interval run ${runs}`);
    if (runs === 1) {
      busy(30);
      iv.refresh();
    } else clearInterval(iv);
  }, 40);
  setTimeout(() => out('timer 100'), 100);
}
