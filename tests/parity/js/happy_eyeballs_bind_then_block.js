// Happy eyeballs with a local port and a block list: Node binds each attempt's socket
// first, then checks the block list. So a blocked address whose bind fails (its port held
// there) fails with the bind's error and no event, and a blocked address whose bind works
// gets a connectionAttemptFailed with ERR_IP_BLOCKED. The local port is held on ::1
// (ipv6Only); the connects go to the refused port.
// 1. ::1 blocked: its bind fails first (bind EADDRINUSE); 127.0.0.1 is refused.
// 2. 127.0.0.1 blocked: ::1's bind fails, then 127.0.0.1 is bound and blocked.
const net = require('net');
const { out, REFUSED_PORT } = require('./_lib');

const lookup = (host, opts, cb) =>
  setImmediate(() => cb(null, [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }]));

const held = net.createServer();
held.listen({ port: 0, host: '::1', ipv6Only: true }, () => {
  const lp = held.address().port;
  const name = (m) => String(m).split(`:${lp}`).join(':L');
  const run = (tag, blocked, next) => {
    const blockList = new net.BlockList();
    blockList.addAddress(blocked, net.isIP(blocked) === 6 ? 'ipv6' : 'ipv4');
    const c = net.connect({ port: REFUSED_PORT, host: 'example.test', lookup, localPort: lp, blockList });
    c.on('connectionAttempt', (ip) => out(tag, 'attempt', ip));
    c.on('connectionAttemptFailed', (ip, p, f, e) => out(tag, 'failed', ip, e.code));
    c.on('error', (e) => {
      out(tag, 'error', e.code);
      for (const x of e.errors || []) out(tag, '  ', x.code, x.syscall, x.address, name(x.message));
    });
    c.on('close', next);
  };
  run('1', '::1', () => run('2', '127.0.0.1', () => held.close()));
});
