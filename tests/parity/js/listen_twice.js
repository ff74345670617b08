// listen() on a listening server throws ERR_SERVER_ALREADY_LISTEN at once and changes
// nothing: the server keeps its address and accepts; once closed it may listen again.
const net = require('net');
const { out } = require('./_lib');

const s = net.createServer((sock) => sock.end());
s.on('error', (e) => out('error', e.code));
s.once('listening', () => {
  const port = s.address().port;
  out('listening', s.listening);
  try {
    s.listen(0, '127.0.0.1', () => out('second listen callback'));
    out('second listen returned');
  } catch (e) {
    out('throws', e.code, e.message);
  }
  out('same port', s.address().port === port, s.listening);
  const c = net.connect(port, '127.0.0.1');
  c.on('connect', () => out('client connect'));
  c.resume();
  c.on('close', () => {
    out('client close');
    s.close(() => {
      out('closed', s.listening);
      s.listen(0, '127.0.0.1', () => {
        out('listening again', s.listening);
        s.close(() => out('closed again'));
      });
    });
  });
});
s.listen(0, '127.0.0.1');
