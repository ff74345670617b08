// pipe() resumes a paused source: an accepted socket paused on connect (pauseOnConnect) and
// piped into itself starts flowing and echoes; so does one paused with pause() before pipe.
const net = require('net');
const { out } = require('./_lib');
const { serve } = require('./_s3');

let n = 0;
serve({ pauseOnConnect: true }, (s) => {
  const name = ++n === 1 ? 'pauseOnConnect:' : 'pause():';
  if (n === 2) {
    s.resume();
    s.pause();
  }
  out(name, 'before pipe', s.isPaused(), s.readableFlowing);
  s.pipe(s);
  out(name, 'after pipe', s.isPaused(), s.readableFlowing);
}, (server, port) => {
  const round = (name, then) => {
    const c = net.connect(port, '127.0.0.1');
    c.setEncoding('utf8');
    c.on('data', (d) => out(name, 'client data', d));
    c.end('hello');
    c.on('close', (e) => {
      out(name, 'close', e);
      then();
    });
  };
  round('pauseOnConnect:', () => round('pause():', () => server.close()));
});
