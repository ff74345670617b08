// pause() and resume() called in sequences while connecting: the last call wins at
// connect. Clients left resumed (resume; pause, resume; resume, pause, resume) get the
// server's message and end at once; clients left paused (pause; resume, resume, pause)
// get nothing (no data, no end) until they resume 100 ms later. Each client is an actor.
const net = require('net');
const { out, note } = require('./_lib');

const MSG = 'This was the year he fell to pieces.';
let accepted = 0;
const server = net.createServer((s) => {
  accepted++;
  s.end(MSG);
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const plans = [['resume'], ['pause', 'resume'], ['pause'], ['resume', 'pause', 'resume'], ['resume', 'resume', 'pause']];
  let closed = 0;
  plans.forEach((plan, i) => {
    const name = `client ${i + 1} ${plan.join(',')}`;
    const c = net.connect(port, '127.0.0.1');
    for (const m of plan) c[m]();
    c.on('data', (d) => note(name, 'data', d.length));
    c.on('end', () => note(name, 'end'));
    c.on('close', (h) => {
      note(name, 'close', h);
      if (++closed === plans.length) {
        out('accepted', accepted);
        server.close();
      }
    });
    setTimeout(() => {
      note(name, 'at 100 ms', c.isPaused(), c.readableLength);
      if (c.isPaused()) c.resume();
    }, 100);
  });
});
