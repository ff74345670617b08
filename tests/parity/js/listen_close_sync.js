// listen() then close() in the same tick: no listening and no error, only close; with no
// host (bound at once: listening is true right after listen), an IP literal and a name
// (both bound later: not yet listening), and the name's lookup answering after the close
// binds nothing. Then the listening property of a server that does listen: false before,
// true in the listening callback, false again in the close callback.
const net = require('net');
const { out } = require('./_lib');

function trial(name, args, next) {
  const s = net.createServer();
  s.on('listening', () => out(name, 'listening'));
  s.on('error', (e) => out(name, 'error', e.code));
  s.on('close', () => {
    out(name, 'close', s.listening, 'address null', s.address() === null);
    next();
  });
  s.listen(...args);
  out(name, 'after listen', s.listening);
  s.close();
  out(name, 'after close', s.listening);
}

trial('no host', [0], () =>
  trial('ip', [0, '127.0.0.1'], () =>
    trial('name', [0, 'localhost'], () => {
      const s = net.createServer();
      out('fresh', s.listening);
      s.listen(0, '127.0.0.1', () => {
        out('listening callback', s.listening);
        s.close(() => out('close callback', s.listening));
        out('after close()', s.listening);
      });
    })));
