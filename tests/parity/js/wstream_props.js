// Ports of test-stream-writable-writable, -ended-state, -finished-state,
// test-stream-writableState-ending and test-stream-duplex-writable-finished (writable
// side), on sockets: writable, writableEnded, writableFinished, destroyed and errored at
// each step. end(data, cb) returns the socket, ended at once and no longer writable,
// finished only in the end callback and `finish`; a destroy() after end() leaves it ended
// but unfinished, one after `finish` finished; a destroy() or destroy(err) of an open
// socket is neither. (A socket has no writableAborted: Node's Duplex does not take it.)
const net = require('net');
const { out } = require('./_lib');
const { serveSink, code } = require('./_s3');

serveSink((server, port) => {
  const props = (who, what, s) => out(who, what, s.writable, s.writableEnded,
    s.writableFinished, s.destroyed, s.errored ? code(s.errored) : null);
  const steps = [
    (next) => {
      const a = net.connect(port, '127.0.0.1');
      props('a', 'connecting', a);
      a.on('connect', () => {
        props('a', 'connected', a);
        const r = a.end('x', () => props('a', 'end cb', a));
        out('a end returns the socket', r === a);
        props('a', 'after end', a);
      });
      a.on('finish', () => props('a', 'finish', a));
      a.on('close', () => next());
    },
    (next) => {
      const b = net.connect(port, '127.0.0.1');
      b.on('connect', () => {
        b.end('x');
        b.destroy();
        props('b', 'end then destroy', b);
      });
      b.on('close', () => next());
    },
    (next) => {
      const c = net.connect(port, '127.0.0.1');
      c.on('connect', () => c.end());
      c.on('finish', () => {
        c.destroy();
        props('c', 'destroy after finish', c);
      });
      c.on('close', () => next());
    },
    (next) => {
      const d = net.connect(port, '127.0.0.1');
      d.on('connect', () => {
        d.destroy();
        props('d', 'destroy', d);
      });
      d.on('close', () => next());
    },
    (next) => {
      const e = net.connect(port, '127.0.0.1');
      e.on('connect', () => {
        e.write('y');
        e.destroy(new Error('boom'));
        props('e', 'destroy(err)', e);
      });
      e.on('error', (err) => props('e', 'error ' + code(err), e));
      e.on('close', () => next());
    },
  ];
  const run = (i) => (i < steps.length ? steps[i](() => run(i + 1)) : server.close());
  run(0);
});
