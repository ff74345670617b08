// highWaterMark: 64 KiB on both sides of a new, a client and an accepted socket by default;
// the server option sets it for accepted sockets, the socket/connect option for clients.
const net = require('net');
const { out, note } = require('./_lib');
const { serve } = require('./_s3');

const hwm = (s) => `${s.writableHighWaterMark} ${s.readableHighWaterMark}`;
out('new Socket', hwm(new net.Socket()));
out('new Socket highWaterMark 1000', hwm(new net.Socket({ highWaterMark: 1000 })));

let closed = 0;
const servers = [];
const done = () => {
  if (++closed === 2) servers.forEach((s) => s.close());
};
serve({}, (s) => {
  note('a srvSock', hwm(s));
  s.end();
}, (a, portA) => {
  servers.push(a);
  serve({ highWaterMark: 4096 }, (s) => {
    note('b srvSock', hwm(s));
    s.end();
  }, (b, portB) => {
    servers.push(b);
    const c1 = net.connect(portA, '127.0.0.1');
    note('a client', hwm(c1));
    c1.resume();
    c1.on('close', done);
    const c2 = net.connect({ port: portB, host: '127.0.0.1', highWaterMark: 2048 });
    note('b client', hwm(c2));
    c2.resume();
    c2.on('close', done);
  });
});
