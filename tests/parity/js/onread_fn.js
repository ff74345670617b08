// Node 24's `onread` with `buffer` as a function: the function is asked for a buffer
// when the socket's handle is made (in connect(), synchronously; once more for each
// further address happy eyeballs tries; at once for an adopted BoundSocket), then after
// every callback, even one that returned false or destroyed the socket. Each read takes
// at most the length of the buffer made for it. A zero-length buffer fails the read with
// ENOBUFS: 'error', close(true), no 'end'. The client of the first runs starts paused and
// resumes once the server has sent all of "hello world" and its FIN, so the reads do not
// hang on timing.
const net = require('net');
const { out } = require('./_lib');

const message = 'hello world';

// A server that ends with `message` once, then stops listening; `onListen(port, srv)`.
function serve(name, onListen, onFinish) {
  const srv = net.createServer((c) => {
    srv.close();
    c.on('error', () => {});
    c.on('finish', () => onFinish && onFinish());
    c.end(message);
  });
  srv.listen(0, '127.0.0.1', () => onListen(srv.address().port));
}

// sizes: the length of each buffer made, the last one repeated.
function maker(name, sizes, state) {
  return () => {
    const len = sizes[Math.min(state.makes, sizes.length - 1)];
    state.makes += 1;
    out(name, 'make', state.makes, 'length', len);
    return Buffer.alloc(len);
  };
}

function text(buf, n) {
  return JSON.stringify(buf.toString('latin1', 0, n));
}

// Sizes 2 (as Node's own test: 11 bytes, 6 callbacks, 7 buffers), then 3, 5, 1, 100.
function sizes(name, lens, next) {
  const state = { makes: 0 };
  let s;
  serve(name, (port) => {
    let calls = 0;
    out(name, 'before connect makes', state.makes);
    s = net.connect({
      port,
      host: '127.0.0.1',
      onread: {
        buffer: maker(name, lens, state),
        callback: function (n, buf) {
          calls += 1;
          out(name, 'cb', n, text(buf, n), 'length', buf.length, 'makes', state.makes,
            'bytesRead', this.bytesRead);
        },
      },
    });
    out(name, 'after connect makes', state.makes);
    s.pause();
    s.on('data', (d) => out(name, 'DATA', d));
    s.on('end', () => out(name, 'end makes', state.makes, 'callbacks', calls));
    s.on('close', (hadError) => {
      out(name, 'close', hadError, 'makes', state.makes);
      next();
    });
  }, () => s.resume());
}

// The callback returns false at its first call; a timer resumes.
function stop(next) {
  const name = 'false';
  const state = { makes: 0 };
  let s;
  serve(name, (port) => {
    let calls = 0;
    s = net.connect({
      port,
      host: '127.0.0.1',
      onread: {
        buffer: maker(name, [4], state),
        callback: function (n, buf) {
          calls += 1;
          out(name, 'cb', n, text(buf, n), 'makes', state.makes);
          if (calls !== 1) return undefined;
          setTimeout(() => {
            out(name, 'timer: makes', state.makes, 'callbacks', calls, 'paused', this.isPaused());
            this.resume();
          }, 20);
          return false;
        },
      },
    });
    s.pause();
    s.on('end', () => out(name, 'end makes', state.makes, 'callbacks', calls));
    s.on('close', (hadError) => {
      out(name, 'close', hadError);
      next();
    });
  }, () => s.resume());
}

// Zero-length buffers: from the start, or from the second on.
function empty(name, lens, next) {
  const state = { makes: 0 };
  let s;
  serve(name, (port) => {
    s = net.connect({
      port,
      host: '127.0.0.1',
      onread: {
        buffer: maker(name, lens, state),
        callback: (n, buf) => out(name, 'cb', n, text(buf, n)),
      },
    });
    s.pause();
    s.on('error', (e) => out(name, 'error', e.code, e.syscall, e.message));
    s.on('end', () => out(name, 'end'));
    s.on('close', (hadError) => {
      out(name, 'close', hadError, 'makes', state.makes, 'destroyed', s.destroyed);
      next();
    });
  }, () => s.resume());
}

// A destroy in the callback: the function is asked once more all the same.
function destroyIn(next) {
  const name = 'destroy';
  const state = { makes: 0 };
  serve(name, (port) => {
    const s = new net.Socket({
      onread: {
        buffer: maker(name, [2], state),
        callback: function (n, buf) {
          out(name, 'cb', n, text(buf, n));
          this.destroy();
          out(name, 'destroyed in cb; makes', state.makes);
        },
      },
    });
    out(name, 'new Socket makes', state.makes);
    s.connect(port, '127.0.0.1');
    out(name, 'connect makes', state.makes);
    s.on('close', (hadError) => {
      out(name, 'close', hadError, 'makes', state.makes);
      next();
    });
  });
}

// Happy eyeballs: ::1 (nothing listens there) then 127.0.0.1; the second attempt's
// handle asks the function again, before 'connectionAttempt'.
function attempts(next) {
  const name = 'attempts';
  const state = { makes: 0 };
  serve(name, (port) => {
    const s = new net.Socket({
      onread: {
        buffer: maker(name, [64], state),
        callback: (n, buf) => out(name, 'cb', n, text(buf, n), 'makes', state.makes),
      },
    });
    s.on('connectionAttempt', (ip) => out(name, 'attempt', ip, 'makes', state.makes));
    s.on('connectionAttemptFailed', (ip) => out(name, 'attempt failed', ip, 'makes', state.makes));
    s.on('connect', () => out(name, 'connected makes', state.makes));
    s.connect({
      port,
      host: 'example.test',
      autoSelectFamily: true,
      lookup: (host, opts, cb) => setImmediate(() => cb(null, [
        { address: '::1', family: 6 },
        { address: '127.0.0.1', family: 4 },
      ])),
    });
    out(name, 'connect makes', state.makes);
    s.on('close', (hadError) => {
      out(name, 'close', hadError, 'makes', state.makes);
      next();
    });
  });
}

// An adopted BoundSocket: the handle is there at once, and so is the first buffer.
function bound(next) {
  const name = 'bound';
  const state = { makes: 0 };
  const b = new net.BoundSocket({ host: '127.0.0.1', port: 0 });
  const s = new net.Socket({
    handle: b,
    onread: {
      buffer: maker(name, [64], state),
      callback: (n, buf) => out(name, 'cb', n, text(buf, n), 'makes', state.makes),
    },
  });
  out(name, 'new Socket makes', state.makes);
  serve(name, (port) => {
    s.connect(port, '127.0.0.1');
    out(name, 'connect makes', state.makes);
    s.on('close', (hadError) => {
      out(name, 'close', hadError, 'makes', state.makes);
      next();
    });
  });
}

sizes('two', [2], () => sizes('mixed', [3, 5, 1, 100], () => stop(() =>
  empty('empty-first', [0], () => empty('empty-later', [4, 0], () =>
    destroyIn(() => attempts(() => bound(() => {}))))))));
