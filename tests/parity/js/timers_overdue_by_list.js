// Timers overdue together (a slow timer callback kept the loop): Node runs them list by
// list, a list being the timers of one delay, in the order the lists come due, and every
// due timer of a list before the next list; not by deadline across lists. A1 and A2
// (100 ms, due at about 100 and 130) and B (20 ms, armed at about 90, due at about 110)
// are all due when the slow callback returns: A1, A2, then B, though B's deadline comes
// before A2's.
const { out } = require('./_lib');
const { busy } = require('./_slow');

setTimeout(() => out('A1'), 100);
busy(30);
setTimeout(() => out('A2'), 100);
setTimeout(() => {
  out('slow');
  setTimeout(() => out('B'), 20);
  busy(60);
}, 60);
