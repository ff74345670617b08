// readableFlowing and isPaused(): null until a consumer appears. pause() while connecting
// is honoured at connect: the socket does not even read (bytesRead 0), and a data listener
// added later does not resume it. resume() flows; pause() stops data (the bytes wait in the
// buffer); resume() again; nothing is lost.
const net = require('net');
const { out } = require('./_lib');
const { serve, waitUntil } = require('./_s3');

let srv;
serve({}, (s) => {
  srv = s;
  s.write('abc');
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  const st = (what) => out(what, c.readableFlowing, c.isPaused(), c.readableLength, c.bytesRead);
  st('fresh');
  c.pause();
  st('pause()');
  let got = '';
  c.on('data', (d) => {
    got += d;
    out('data', d.toString(), c.readableFlowing);
  });
  st('data listener added');
  c.on('connect', () => {
    setTimeout(() => {
      st('30 ms after connect');
      c.resume();
      st('resume()');
      waitUntil(() => got.length === 3, () => {
        c.pause();
        st('pause() again');
        srv.end('def');
        waitUntil(() => c.readableLength === 3, () => {
          st('buffered while paused');
          c.resume();
          st('resume() again');
        });
      });
    }, 30);
  });
  c.on('end', () => out('end', got));
  c.on('close', () => server.close());
});
