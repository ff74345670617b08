// Node 24's `onread` option: reads go into the caller's buffer (at most its length per
// read) and to the callback, never to `data` (not even with a `data` listener); `end` and
// `close` follow the last callback. The client starts paused and resumes once the server
// has sent all of "hello world" and its FIN, so the reads are 8 then 3 bytes whatever the
// timing. Three runs: plain (with a `data` listener); the callback returns false and a
// timer resumes; the callback calls pause() and a timer resumes.
const net = require('net');
const { out } = require('./_lib');

const message = 'hello world';

function run(name, mode, next) {
  const srv = net.createServer((c) => {
    srv.close();
    c.on('finish', () => {
      out(name, 'server finished; client paused', s.isPaused());
      s.resume();
    });
    c.end(message);
  });
  let s;
  srv.listen(0, '127.0.0.1', () => {
    const sockBuf = Buffer.alloc(8);
    let calls = 0;
    s = net.connect({
      port: srv.address().port,
      host: '127.0.0.1',
      onread: {
        buffer: sockBuf,
        callback: function (n, buf) {
          calls += 1;
          out(name, 'cb', n, JSON.stringify(buf.toString('latin1', 0, n)),
            'buffer', JSON.stringify(buf.toString('latin1')), 'same', buf === sockBuf,
            'bytesRead', this.bytesRead);
          if (calls !== 1) return undefined;
          if (mode === 'false') {
            setTimeout(() => {
              out(name, 'timer: resume; paused', this.isPaused());
              this.resume();
            }, 20);
            return false;
          }
          if (mode === 'pause') {
            this.pause();
            out(name, 'paused in callback', this.isPaused());
            setTimeout(() => {
              out(name, 'timer: resume');
              this.resume();
            }, 20);
          }
          return undefined;
        },
      },
    });
    s.pause();
    if (mode === 'plain') s.on('data', (d) => out(name, 'DATA', d));
    s.on('end', () => out(name, 'end bytesRead', s.bytesRead, 'callbacks', calls));
    s.on('close', (hadError) => {
      out(name, 'close', hadError);
      next();
    });
  });
}

run('plain', 'plain', () => run('false', 'false', () => run('pause', 'pause', () => {})));
