// A connect refused on the loop names the local side it asked to bind when a local port was
// given (Node's createConnectionError): the message ends ` - Local (<address>:<port>)`,
// with the family's any-address when no local address was given, and the error (and the
// connectionAttemptFailed's) has localAddress and localPort. A local address alone names
// nothing. The local ports are held by listeners of the other family (::1 with ipv6Only,
// 127.0.0.1), which a bind of this family does not meet.
const net = require('net');
const { out, REFUSED_PORT } = require('./_lib');

const six = net.createServer();
const four = net.createServer();
six.listen({ port: 0, host: '::1', ipv6Only: true }, () => {
  four.listen(0, '127.0.0.1', () => {
    const p6 = six.address().port;
    const p4 = four.address().port;
    const name = (m) =>
      String(m)
        .split(`:${p6})`)
        .join(':P6)')
        .split(`:${p4})`)
        .join(':P4)');
    const port = (p) => (p === p6 ? 'P6' : p === p4 ? 'P4' : p);
    const cases = [
      ['port only', { host: '127.0.0.1', localPort: p6 }],
      ['address only', { host: '127.0.0.1', localAddress: '127.0.0.1' }],
      ['both', { host: '127.0.0.1', localAddress: '127.0.0.1', localPort: p6 }],
      ['both, IPv6', { host: '::1', localAddress: '::1', localPort: p4 }],
      ['port only, by name', { host: 'localhost', localPort: p6, autoSelectFamily: false }],
    ];
    const next = (i) => {
      if (i === cases.length) {
        six.close();
        four.close();
        return;
      }
      const [tag, o] = cases[i];
      const c = net.connect({ port: REFUSED_PORT, ...o });
      c.on('connectionAttemptFailed', (ip, p, f, e) =>
        out(tag, 'attempt failed', ip, f, name(e.message), e.localAddress, port(e.localPort)),
      );
      c.on('error', (e) =>
        out(tag, 'error', e.code, name(e.message), e.localAddress, port(e.localPort)),
      );
      c.on('close', () => next(i + 1));
    };
    next(0);
  });
});
