// A two-socket proxy (half-open on both of its sockets, as a proxy must be): it accepts a
// client, connects to an origin and pipes each way. The origin sends 2 MiB and ends; the
// client sends `ping` and ends; every byte crosses, each end propagates through the proxy,
// and all four sockets close without error.
const net = require('net');
const { note } = require('./_lib');
const { serve } = require('./_s3');

const TOTAL = 2 << 20;
serve({}, (o) => {
  let got = '';
  o.setEncoding('latin1');
  o.on('data', (d) => (got += d));
  o.on('end', () => note('origin', 'end; got', got));
  o.write(Buffer.alloc(TOTAL, 111));
  o.end();
  o.on('close', (e) => note('origin', 'close', e));
}, (origin, originPort) => {
  serve({ allowHalfOpen: true }, (p) => {
    const up = net.connect({ port: originPort, host: '127.0.0.1', allowHalfOpen: true });
    up.pipe(p);
    p.pipe(up);
    up.on('end', () => note('proxy up', 'end'));
    up.on('close', (e) => note('proxy up', 'close', e, up.bytesRead));
    p.on('end', () => note('proxy down', 'end'));
    p.on('close', (e) => note('proxy down', 'close', e, p.bytesWritten));
  }, (proxy, proxyPort) => {
    const c = net.connect(proxyPort, '127.0.0.1');
    let got = 0;
    c.on('data', (d) => (got += d.length));
    c.end('ping');
    c.on('end', () => note('client', 'end; got all', got === TOTAL));
    c.on('close', (e) => {
      note('client', 'close', e);
      proxy.close();
      origin.close();
    });
  });
});
