// Driver of `fuzz_address` (tests/parity/fuzz_address.rs): reads the cases from the file
// named by its argument, one per line, and prints one line per result. Strings travel as
// hex of their UTF-8 bytes.
//
//   A <hex>         net.isIP, SocketAddress.parse, and new SocketAddress({ address }) with
//                   the default family and with family 'ipv6'
//   P n <number>    new SocketAddress({ port }) with a number port
//   P s <hex>       the same with a string port
//   B <op>;<op>...  one BlockList: `a:<hex>:<family>` addAddress, `r:<hex>:<hex>:<family>`
//                   addRange, `s:<hex>:<prefix>:<family>` addSubnet, `c:<hex>:<family>`
//                   check; then its rules
'use strict';
const fs = require('fs');
const net = require('net');
const { out } = require('./_lib');

const text = (h) => Buffer.from(h, 'hex').toString('utf8');
const fail = (e) => `${e.code} ${e.message}`.replace(/\n/g, '\\n');
const made = (f) => {
  try {
    const sa = f();
    return `${sa.address} ${sa.port} ${sa.family}`;
  } catch (e) {
    return fail(e);
  }
};

for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\n')) {
  if (line.startsWith('A ')) {
    const s = text(line.slice(2));
    const p = net.SocketAddress.parse(s);
    out(
      `isIP ${net.isIP(s)}`,
      `| parse ${p === undefined ? 'undefined' : `${p.address} ${p.port} ${p.family}`}`,
      `| v4 ${made(() => new net.SocketAddress({ address: s }))}`,
      `| v6 ${made(() => new net.SocketAddress({ address: s, family: 'ipv6' }))}`,
    );
  } else if (line.startsWith('P ')) {
    const [, kind, v] = line.split(' ');
    const port = kind === 'n' ? Number(v) : text(v);
    out(`port ${made(() => new net.SocketAddress({ port }))}`);
  } else if (line.startsWith('B ')) {
    const bl = new net.BlockList();
    const res = [];
    for (const op of line.slice(2).split(';')) {
      const f = op.split(':');
      try {
        switch (f[0]) {
          case 'a': bl.addAddress(text(f[1]), f[2]); res.push('ok'); break;
          case 'r': bl.addRange(text(f[1]), text(f[2]), f[3]); res.push('ok'); break;
          case 's': bl.addSubnet(text(f[1]), Number(f[2]), f[3]); res.push('ok'); break;
          case 'c': res.push(String(bl.check(text(f[1]), f[2]))); break;
        }
      } catch (e) {
        res.push(fail(e));
      }
    }
    out(res.join(' | '), '| rules', JSON.stringify(bl.rules));
  }
}
