// `readable` on accepted sockets of a pauseOnConnect server (paused, not flowing): the
// first reads every chunk with read() until null, then the end's `readable` and `end`; a
// `readable` listener added after `end` is never called. The second decodes UTF-8: a
// chunk that is only the start of a character buffers nothing and brings no `readable`;
// its handler destroys the socket after its first read. The third, resumed, unshifts
// bytes before its resume's tick: Node's stream is still `sync` (no read asked for yet),
// so they are buffered, and flow first on that tick.
const net = require('net');
const { out } = require('./_lib');

let n = 0;
const server = net.createServer({ pauseOnConnect: true }, (s) => {
  const k = n++;
  out(k, 'conn', s.readableFlowing, s.isPaused());
  if (k === 2) {
    s.on('data', (d) => out(k, 'data', d.toString()));
    s.resume();
    out(k, 'unshift', s.unshift(Buffer.from('ab')), s.readableLength);
    process.nextTick(() => out(k, 'tick', s.readableLength));
  } else if (k === 0) {
    s.on('readable', () => {
      let d;
      out(k, 'readable', s.readableLength);
      while ((d = s.read()) !== null) out(k, 'read', d.toString());
    });
  } else {
    s.setEncoding('utf8');
    s.on('readable', () => {
      out(k, 'readable', s.readableLength);
      const d = s.read();
      out(k, 'read', JSON.stringify(d));
      if (d !== null) {
        s.destroy();
        out(k, 'destroyed');
      }
    });
  }
  s.on('end', () => {
    out(k, 'end');
    s.on('readable', () => out(k, 'late readable'));
    process.nextTick(() => out(k, 'tick after late add'));
  });
  s.on('close', () => {
    out(k, 'close');
    if (k === 2) server.close();
  });
});
const client = (port, then) => {
  const c = net.connect(port, '127.0.0.1', () => {
    c.write(Buffer.from([0xe2, 0x82]));
    setTimeout(() => c.end(Buffer.from([0xac, 0x41])), 20);
  });
  c.on('error', () => {});
  c.on('end', then);
  c.resume();
};
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  client(port, () => client(port, () => client(port, () => {})));
});
