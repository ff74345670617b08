// Timers overdue together (a slow timer callback kept the loop): Node runs them list by
// list, a list being the timers of one delay, in the order the lists come due, and every
// due timer of a list before the next list; not by deadline across lists. A1 and A2
// (100 ms, due at about 100 and 130 ms) and B (60 ms, armed by a timer due at 50 ms, so
// due at about 110) are all due when that timer's slow callback (150 ms) returns: A1, A2,
// then B, though B's deadline comes before A2's. (A timer due well before A1 arms B, so a
// loaded machine's late timers do not change the order.)
const { out } = require('./_lib');
const { busy } = require('./_slow');

setTimeout(() => out('A1'), 100);
busy(30);
setTimeout(() => out('A2'), 100);
setTimeout(() => {
  out('slow');
  setTimeout(() => out('B'), 60);
  busy(150);
}, 20);
