// cork() while connecting. A write made before the cork is handed to the stream's write,
// which holds it for the connect: it leaves at connect, and the writes made after the cork
// wait for the uncork. Corked before the first write, nothing leaves at connect.
// The peer reports what it has received 40 ms after it accepted (the client uncorks 80 ms
// after its connect).
// Then, connected: a cork does not hold back a write already handed over. 5 MiB written
// (more than the kernel takes at once), then cork() and one more byte: the 5 MiB all
// leave, the byte waits for the uncork 300 ms later.
const net = require('net');
const { out, note } = require('./_lib');

function round(tag, corkFirst, next) {
  const server = net.createServer((s) => {
    let rx = '';
    s.on('data', (d) => {
      rx += d;
    });
    setTimeout(() => note('peer ' + tag, 'at 40 ms', JSON.stringify(rx)), 40);
    s.on('end', () => {
      note('peer ' + tag, 'end', JSON.stringify(rx));
      s.end();
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const c = net.connect(server.address().port, '127.0.0.1');
    if (corkFirst) c.cork();
    out(tag, 'write abc', c.write('abc', () => out(tag, 'cb abc')));
    if (!corkFirst) c.cork();
    out(tag, 'write def', c.write('def', () => out(tag, 'cb def')));
    out(tag, 'after writes wl', c.writableLength, 'corked', c.writableCorked);
    c.on('connect', () => {
      out(tag, 'connect wl', c.writableLength);
      process.nextTick(() => out(tag, 'tick after connect wl', c.writableLength));
      setTimeout(() => {
        out(tag, 'uncork wl', c.writableLength);
        c.uncork();
        c.end();
      }, 80);
    });
    c.on('data', () => {});
    c.on('close', (h) => {
      out(tag, 'close', h, 'bytesWritten', c.bytesWritten);
      server.close(next);
    });
  });
}

function inFlight() {
  const BIG = 5 * 1024 * 1024;
  const server = net.createServer((s) => {
    let rx = 0;
    s.on('data', (d) => {
      rx += d.length;
    });
    setTimeout(() => note('peer in flight', 'at 250 ms', rx), 250);
    s.on('end', () => {
      note('peer in flight', 'end', rx);
      s.end();
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const c = net.connect(server.address().port, '127.0.0.1', () => {
      out('in flight write big', c.write(Buffer.alloc(BIG, 97), () => out('in flight cb big')));
      c.cork();
      out('in flight write x', c.write('x', () => out('in flight cb x')));
      c.on('drain', () => out('in flight drain wl', c.writableLength));
      setTimeout(() => {
        out('in flight uncork wl', c.writableLength);
        c.uncork();
        c.end();
      }, 300);
    });
    c.on('data', () => {});
    c.on('close', (h) => {
      out('in flight close', h, 'bytesWritten', c.bytesWritten);
      server.close();
    });
  });
}

round('handed', false, () => round('cork first', true, inFlight));
