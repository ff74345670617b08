// SocketAddress as an API, after Node's test/parallel/test-socketaddress.js: the defaults,
// an IPv4 address with and without a port, an IPv6 one with a flow label, each with its
// JSON; the options it refuses (family, port, flowlabel) with code and message; and what
// SocketAddress.parse makes of `host[:port]` text, good and bad.
'use strict';
const { SocketAddress } = require('net');
const { out } = require('./_lib');

function make(what, options) {
  try {
    const sa = options === undefined ? new SocketAddress() : new SocketAddress(options);
    out(what, sa.address, sa.port, sa.family, sa.flowlabel, JSON.stringify(sa));
  } catch (e) {
    out(what, 'error', e.code, e.message);
  }
}

make('no options', undefined);
make('{}', {});
make('ipv4', { address: '123.123.123.123' });
make('ipv4 port', { address: '123.123.123.123', port: 80 });
make('ipv6', { family: 'ipv6' });
make('ipv6 flowlabel', { family: 'ipv6', flowlabel: 1 });

make('family test', { family: 'test' });
make('family 1', { family: 1 });
make('port -1', { port: -1 });
make('flowlabel -1', { flowlabel: -1 });

for (const input of [
  '1.2.3.4', '192.168.257:1', '256', '999999999:12', '0xffffffff', '0x.0x.0', '[1:0::]',
  '[1::8]:123', 'not an ip', 'abc.123', '259.1.1.1', '12:12:12',
]) {
  const sa = SocketAddress.parse(input);
  out('parse', input, sa === undefined ? 'undefined' : `${sa.address} ${sa.port} ${sa.family}`);
}
