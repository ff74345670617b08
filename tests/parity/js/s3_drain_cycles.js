// Three fill/drain cycles: the client writes 256 KiB chunks until write() returns false
// (the kernel is full: the reader runs on the same loop), then two more small writes, which
// also return false; exactly one drain per cycle, before the callbacks of the writes that
// completed with it; every callback once, in order; every byte arrives.
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

const chunk = Buffer.alloc(256 * 1024, 120);
let written = 0;
serve({}, (s) => {
  let got = 0;
  s.on('data', (d) => (got += d.length));
  s.on('end', () => note('srvSock', 'end; got all', got === written));
}, (server, port) => {
  const c = net.connect(port, '127.0.0.1');
  let writes = 0;
  let cbs = 0;
  let inOrder = true;
  let lastCbDone = false;
  const write = (data, last) => {
    const i = writes++;
    written += data.length;
    return c.write(data, (e) => {
      if (e || i !== cbs) inOrder = false;
      cbs++;
      if (last) lastCbDone = true;
    });
  };
  let cycle = 0;
  const fill = () => {
    cycle++;
    lastCbDone = false;
    while (write(chunk, false));
    const a = write('x', false);
    const b = write(Buffer.from('y'), true);
    out('cycle', cycle, 'extra writes', a, b, 'needDrain', c.writableNeedDrain,
      'over hwm', c.writableLength >= c.writableHighWaterMark);
  };
  c.on('connect', fill);
  let drains = 0;
  c.on('drain', () => {
    drains++;
    out('drain', drains, 'length', c.writableLength, 'needDrain', c.writableNeedDrain,
      'last cb done', lastCbDone);
    process.nextTick(() => out('  next tick: last cb done', lastCbDone));
    if (cycle < 3) fill();
    else c.end();
  });
  c.on('finish', () => out('finish; callbacks', cbs === writes, 'in order', inOrder,
    'bytesWritten ok', c.bytesWritten === written));
  c.on('close', () => server.close());
});
