// BlockList as an API, after Node's test/parallel/test-blocklist.js: rules added from text
// and from SocketAddress values (addresses, ranges, subnets; families in any case), checks
// on both sides of every boundary (IPv4-mapped IPv6 included), the rules list, the errors
// (family, reversed range, prefix out of range, fromJSON data) with code and message, and
// the toJSON / fromJSON round trips. A check is written `address [family]`.
'use strict';
const { BlockList, SocketAddress } = require('net');
const { out } = require('./_lib');

function attempt(what, f) {
  try {
    f();
    out(what, 'ok');
  } catch (e) {
    out(what, 'error', e.code, e.message);
  }
}

function checks(name, bl, list) {
  for (const item of list) {
    const [a, f] = item.split(' ');
    out(name, 'check', item, bl.check(a, f));
  }
}

const range = (from, to, text) => {
  const r = [];
  for (let n = from; n <= to; n++) r.push(text(n));
  return r;
};

// Families that are not 'ipv4' or 'ipv6'.
{
  const bl = new BlockList();
  attempt('addAddress foo', () => bl.addAddress('1.1.1.1', 'foo'));
  attempt('addRange foo', () => bl.addRange('1.1.1.1', '1.1.1.2', 'foo'));
  attempt('addSubnet empty family', () => bl.addSubnet('', 1, ''));
  out('rules', bl.rules.join(' | '));
}

// Single addresses, as text.
const addressChecks = [
  '1.1.1.1', '1.1.1.1 ipv6', '8592:757c:efae:4e45:fb5d:d62a:0d00:8e17',
  '8592:757c:efae:4e45:fb5d:d62a:0d00:8e17 ipv6', '::ffff:1.1.1.1 ipv6',
  '::ffff:1.1.1.1 IPV6', '1.1.1.2', '1.2.3.4', '::1 ipv6',
];
{
  const bl = new BlockList();
  bl.addAddress('1.1.1.1');
  bl.addAddress('8592:757c:efae:4e45:fb5d:d62a:0d00:8e17', 'ipv6');
  bl.addAddress('::ffff:1.1.1.2', 'ipv6');
  checks('text', bl, addressChecks);
  out('rules', bl.rules.join(' | '));
}

// Single addresses, as SocketAddress values.
{
  const bl = new BlockList();
  const sa1 = new SocketAddress({ address: '1.1.1.1' });
  const sa2 = new SocketAddress({
    address: '8592:757c:efae:4e45:fb5d:d62a:0d00:8e17',
    family: 'ipv6',
  });
  const sa3 = new SocketAddress({ address: '1.1.1.2' });
  bl.addAddress(sa1);
  bl.addAddress(sa2);
  bl.addAddress('::ffff:1.1.1.2', 'ipv6');
  checks('sa', bl, addressChecks);
  out('sa check sa1', bl.check(sa1));
  out('sa check sa2', bl.check(sa2));
  out('sa check sa3', bl.check(sa3));
  out('rules', bl.rules.join(' | '));
}

// Ranges, as text and as SocketAddress values.
const rangeChecks = [
  '1.1.1.0', ...range(1, 10, (n) => `1.1.1.${n}`), '1.1.1.11', '::0 ipv6',
  ...range(1, 16, (n) => `::${n.toString(16)} ipv6`),
];
{
  const bl = new BlockList();
  bl.addRange('1.1.1.1', '1.1.1.10');
  bl.addRange('::1', '::f', 'ipv6');
  checks('text', bl, rangeChecks);
  out('rules', bl.rules.join(' | '));
}
{
  const bl = new BlockList();
  const v4 = (address) => new SocketAddress({ address });
  const v6 = (address) => new SocketAddress({ address, family: 'ipv6' });
  bl.addRange(v4('1.1.1.1'), v4('1.1.1.10'));
  bl.addRange(v6('::1'), v6('::f'));
  checks('sa', bl, rangeChecks);
  out('rules', bl.rules.join(' | '));
}

// Subnets, as text and with a SocketAddress network.
const subnetChecks = [
  '1.1.0.1', '1.1.1.1', '1.2.0.1', '::ffff:1.1.0.1 ipv6', '8592:757c:efae:4e45:f:: ipv6',
  '8592:757c:efae:4e45::f ipv6', '8592:757c:efae:4f45::f ipv6',
];
{
  const bl = new BlockList();
  bl.addSubnet('1.1.1.0', 16);
  bl.addSubnet('8592:757c:efae:4e45::', 64, 'ipv6');
  checks('text', bl, subnetChecks);
  out('rules', bl.rules.join(' | '));
}
{
  const bl = new BlockList();
  bl.addSubnet(new SocketAddress({ address: '1.1.1.0' }), 16);
  bl.addSubnet('8592:757c:efae:4e45::', 64, 'ipv6');
  out('sa check sa2', bl.check(new SocketAddress({ address: '1.1.1.1' })));
  checks('sa', bl, subnetChecks);
  out('rules', bl.rules.join(' | '));
}

// The rules list, newest first; the family's case does not matter.
{
  const bl = new BlockList();
  bl.addAddress('1.1.1.1');
  bl.addRange('10.0.0.1', '10.0.0.10');
  bl.addSubnet('8592:757c:efae:4e45::', 64, 'IpV6');
  out('rules', bl.rules.join(' | '));
  checks('mixed', bl, [
    '1.1.1.1', '10.0.0.5', '::ffff:10.0.0.5 ipv6', '8592:757c:efae:4e45::f ipv6',
    '123.123.123.123', '8592:757c:efaf:4e45:fb5d:d62a:0d00:8e17 ipv6',
    '::ffff:123.123.123.123 ipv6',
  ]);
}

// Prefixes not on a byte boundary.
{
  const bl = new BlockList();
  bl.addSubnet('10.0.0.0', 27);
  bl.addSubnet('8592:757c:efaf::', 51, 'ipv6');
  checks('cidr', bl, [
    ...range(0, 32, (n) => `10.0.0.${n}`), '8592:757c:efaf:0:0:0:0:0 ipv6',
    '8592:757c:efaf:1fff:ffff:ffff:ffff:ffff ipv6', '8592:757c:efaf:2fff:ffff:ffff:ffff:ffff ipv6',
  ]);
}

// An IPv4 range checked with IPv4 and with IPv4-mapped IPv6 addresses (nodejs/node#39074).
{
  const bl = new BlockList();
  bl.addRange('10.0.0.2', '10.0.0.10');
  checks('39074', bl, [
    '10.0.0.2', '10.0.0.10', '192.168.0.3', '2.2.2.2', '255.255.255.255',
    '::ffff:0a00:0002 ipv6', '::ffff:0a00:000a ipv6', '::ffff:c0a8:0003 ipv6',
    '::ffff:0202:0202 ipv6', '::ffff:ffff:ffff ipv6',
  ]);
}

// Errors: a reversed range, prefixes out of range.
{
  const bl = new BlockList();
  attempt('addRange reversed', () => bl.addRange('1.1.1.2', '1.1.1.1'));
  attempt('addRange equal', () => bl.addRange('1.1.1.1', '1.1.1.1'));
  attempt('addSubnet 1.1.1.1/-1', () => bl.addSubnet('1.1.1.1', -1, 'ipv4'));
  attempt('addSubnet 1.1.1.1/33', () => bl.addSubnet('1.1.1.1', 33, 'ipv4'));
  attempt('addSubnet ::/-1', () => bl.addSubnet('::', -1, 'ipv6'));
  attempt('addSubnet ::/129', () => bl.addSubnet('::', 129, 'ipv6'));
  out('rules', bl.rules.join(' | '));
}

// A /32 subnet is one address (nodejs/node#43360).
{
  const bl = new BlockList();
  bl.addSubnet('1.1.1.1', 32, 'ipv4');
  checks('43360', bl, ['1.1.1.1', '1.1.1.2', '2.3.4.5']);
}

// toJSON and fromJSON.
{
  const ruleList = [
    'Address: IPv4 10.0.0.5',
    'Address: IPv6 ::',
    'Subnet: IPv4 192.168.1.0/24',
    'Subnet: IPv6 8592:757c:efae:4e45::/64',
  ];
  const bl = new BlockList();
  bl.addAddress('10.0.0.5');
  bl.addAddress('::', 'ipv6');
  bl.addSubnet('192.168.1.0', 24);
  bl.addSubnet('8592:757c:efae:4e45::', 64, 'ipv6');
  out('toJSON', bl.toJSON().join(' | '));
  out('JSON.stringify', JSON.stringify(bl));

  const test2 = new BlockList();
  // Data that is not an array of strings, given as JSON text.
  for (const text of ['1', 'null', '[1,2,3]', '123', '{}', '"str"']) {
    attempt(`fromJSON ${text}`, () => test2.fromJSON(text));
  }
  test2.fromJSON(['1', '2', '3']);
  out('ignored', test2.rules.join(' | '));
  test2.fromJSON(bl.toJSON());
  out('test2', test2.rules.join(' | '));
  const test3 = new BlockList();
  test3.fromJSON(JSON.stringify(bl));
  out('test3', test3.rules.join(' | '));
  const test4 = new BlockList();
  test4.fromJSON(ruleList);
  out('test4', test4.rules.join(' | '));
  const test5 = new BlockList();
  for (const item of ruleList) test5.fromJSON([item]);
  out('test5', test5.rules.join(' | '));

  const jsonChecks = [
    '10.0.0.5 ipv4', '10.0.0.6 ipv4', ':: ipv6', '::1 ipv6', '192.168.1.0 ipv4',
    '193.168.1.0 ipv4', '8592:757c:efae:4e45:: ipv6', '1111:1111:1111:1111:: ipv6',
  ];
  for (const [name, list] of [['bl', bl], ['test2', test2], ['test3', test3],
    ['test4', test4], ['test5', test5]]) {
    checks(name, list, jsonChecks);
  }
}
