// ref and unref of immediates (ports of Node's test-timers-immediate-unref,
// test-timers-immediate-unref-simple, test-timers-immediate-unref-nested-once): a chain of
// ref and unref ending in ref keeps the immediate; an unref'd immediate runs while a timer
// keeps the loop alive; an unref'd immediate that clears itself and another, then refs
// both, keeps nothing alive; an unref'd immediate queued last never runs.
const { out } = require('./_lib');

clearImmediate(setImmediate(() => out('cleared (never)')).unref());
setImmediate(() => {
  out('immediate ref, unref, unref, ref: runs');
  setImmediate(() => out("unref'd immediate runs: the 20 ms timer keeps the loop")).unref();
  setTimeout(() => {
    out('timer 20');
    setImmediate(second);
  }, 20);
})
  .ref()
  .unref()
  .unref()
  .ref();

function second() {
  out('second');
  const a = setImmediate(() => {
    out("unref'd A clears A and B, then refs both");
    clearImmediate(a);
    clearImmediate(b);
    a.ref();
    b.ref();
  }).unref();
  const b = setImmediate(() => out('B (never)')).unref();
  setImmediate(() => {
    out("last ref'd immediate queues an unref'd one");
    setImmediate(() => out("unref'd immediate alone (never)")).unref();
  });
}
