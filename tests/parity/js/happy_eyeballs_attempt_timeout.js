// Happy eyeballs' per-attempt timeout (autoSelectFamilyAttemptTimeout: 100 ms). A listener
// on 127.0.0.2 that never accepts (it lives in a worker thread blocked in Atomics.wait),
// with backlog 1 and its accept queue filled by two connections, drops further SYNs: a
// connect there stalls. A server on 127.0.0.1 has the same port.
// A. [127.0.0.2, ::1, 127.0.0.1]: the stalled attempt times out (connectionAttemptTimeout),
//    ::1 is refused, 127.0.0.1 connects.
// B. [127.0.0.2, ::1]: the timed-out attempt's ETIMEDOUT is in the aggregate error.
// C. [::1, 127.0.0.2]: the last attempt has no timer; a destroy 200 ms into it cancels it
//    (connectionAttemptFailed with ECANCELED, in the close phase), then close(false); a
//    tick the failure's listener queues runs between the two.
// D. [127.0.0.2] alone: a plain connect, whose destroy emits no attempt failure.
const net = require('net');
const { Worker } = require('worker_threads');
const { out, portless } = require('./_lib');

const wake = new Int32Array(new SharedArrayBuffer(4));
const WORKER = `
const net = require('net');
const { parentPort, workerData } = require('worker_threads');
const s = net.createServer();
s.listen({ port: workerData.port, host: '127.0.0.2', backlog: 1 }, () => {
  parentPort.postMessage('listening');
  Atomics.wait(workerData.wake, 0, 0, 10000);
  s.close();
});
`;

function resolver(answers) {
  return (host, opts, cb) =>
    setImmediate(() => cb(null, answers.map((a) => ({ address: a, family: net.isIP(a) }))));
}

function attempted(c, port) {
  const a = c.autoSelectFamilyAttemptedAddresses;
  return a === undefined ? 'undefined' : `[${a.map((x) => portless(x, port)).join(',')}]`;
}

function start(tag, port, answers) {
  const c = net.connect({
    port,
    host: 'example.test',
    lookup: resolver(answers),
    autoSelectFamilyAttemptTimeout: 100,
  });
  c.on('connectionAttempt', (ip, p, f) => out(tag, 'attempt', ip, f));
  c.on('connectionAttemptFailed', (ip, p, f, e) =>
    out(tag, 'failed', ip, f, e.code, portless(e.message, port)));
  c.on('connectionAttemptTimeout', (ip, p, f) => out(tag, 'timeout', ip, f));
  return c;
}

const server = net.createServer((s) => s.end('hi'));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const worker = new Worker(WORKER, { eval: true, execArgv: [], workerData: { port, wake } });
  worker.once('message', () => {
    const fillers = [];
    for (let i = 0; i < 2; i++) {
      const f = net.connect(port, '127.0.0.2', () => {
        if (fillers.filter((x) => !x.connecting).length === 2) partA(port, fillers);
      });
      fillers.push(f);
    }
  });
});

function partA(port, fillers) {
  const c = start('A', port, ['127.0.0.2', '::1', '127.0.0.1']);
  c.on('connect', () => out('A', 'connect', c.remoteAddress, attempted(c, port)));
  c.on('data', (d) => out('A', 'data', d));
  c.on('close', (h) => {
    out('A', 'close', h);
    partB(port, fillers);
  });
}

function partB(port, fillers) {
  const c = start('B', port, ['127.0.0.2', '::1']);
  c.on('error', (e) => {
    out('B', 'error', e.code, e.name, attempted(c, port));
    out('B', 'errors', e.errors.map((x) => portless(x.message, port)).join(' | '));
  });
  c.on('close', (h) => {
    out('B', 'close', h);
    partC(port, fillers);
  });
}

function partC(port, fillers) {
  const c = start('C', port, ['::1', '127.0.0.2']);
  c.on('connectionAttempt', (ip) => {
    if (ip !== '127.0.0.2') return;
    setTimeout(() => {
      out('C', 'destroy', c.connecting);
      c.destroy();
      process.nextTick(() => out('C', 'tick'));
      setImmediate(() => out('C', 'immediate'));
    }, 200);
  });
  // The cancelled attempt's failure and the close are two callbacks of the close phase:
  // a tick queued by the one runs before the other.
  c.on('connectionAttemptFailed', (ip) => {
    if (ip === '127.0.0.2') process.nextTick(() => out('C', 'tick after the cancelled attempt'));
  });
  c.on('close', (h) => {
    out('C', 'close', h, attempted(c, port));
    partD(port, fillers);
  });
}

function partD(port, fillers) {
  const c = start('D', port, ['127.0.0.2']);
  c.on('connectionAttempt', () => {
    setTimeout(() => {
      out('D', 'destroy', c.connecting);
      c.destroy();
    }, 200);
  });
  c.on('close', (h) => {
    out('D', 'close', h, attempted(c, port));
    for (const f of fillers) f.destroy();
    server.close();
    Atomics.store(wake, 0, 1);
    Atomics.notify(wake, 0);
  });
}
