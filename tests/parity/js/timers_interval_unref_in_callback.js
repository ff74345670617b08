// An interval that unrefs itself in each run (a port of Node's
// test-timers-unrefed-in-callback): a listening server keeps the loop, so it goes on
// running; the first clears itself at its fourth run and closes its server, whose close
// starts a second that only closes its server at its fourth run: then nothing keeps the
// loop, and the unref'd interval runs no more.
const net = require('net');
const { out } = require('./_lib');

function test(k, then) {
  const server = net.createServer().listen(0, '127.0.0.1');
  let runs = 0;
  const iv = setInterval(() => {
    iv.unref();
    runs++;
    out(`test ${k} interval run ${runs}`);
    if (runs === 4) {
      if (k === 1) clearInterval(iv);
      server.close(() => {
        out(`server ${k} closed`);
        then();
      });
    }
  }, 20);
}
test(1, () => test(2, () => {}));
