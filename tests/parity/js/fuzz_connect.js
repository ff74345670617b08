// The JS driver of the listen-and-connect randomized differential test (`fuzz_connect` in
// tests/parity/fuzz_connect.rs, which generates the scripts and documents their language):
// two servers listen on the loopbacks, the any-addresses and `localhost`, now and then on
// each other's port, and clients connect to them by address or by name, with a family
// and with or without happy eyeballs. Runs the script given as the first argument, one
// step every STEP_MS; prints each operation in order, and each server's and client's
// events in a note of its own. Ports are printed by name: a server's, the refused one.
const net = require('net');
const { out, note, REFUSED_PORT } = require('./_lib');

const STEP_MS = 30;
const script = process.argv[2] || '';
const [head, ...steps] = script.split('|');
const parsed = steps.map((s) => s.split(' ').filter((t) => t.length > 0));

const HOSTS = {
  4: '127.0.0.1',
  6: '::1',
  z: '0.0.0.0',
  Z: '::',
  l: 'localhost',
  a: undefined,
  b: 'both.test',
  B: 'four.test',
};
// The lookup of the `b` and `B` names: `answers` filtered by the family asked for, after a
// turn of the loop; none left is ENOTFOUND.
const resolver = (answers) => (host, opts, cb) =>
  setImmediate(() => {
    const fam = opts.family === 'IPv4' ? 4 : opts.family === 'IPv6' ? 6 : opts.family;
    const ips = answers
      .map((a) => ({ address: a, family: net.isIP(a) }))
      .filter((a) => !fam || a.family === fam);
    if (ips.length === 0) {
      const e = new Error(`getaddrinfo ENOTFOUND ${host}`);
      Object.assign(e, { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname: host });
      cb(e);
    } else if (opts.all) cb(null, ips);
    else cb(null, ips[0].address, ips[0].family);
  });

// A port's name: the server that first listened on it (`S0`, `S1`; or whose address a
// client took first), `R` for the refused port, `other` for any other.
const names = new Map([[REFUSED_PORT, 'R']]);
const pname = (p) => (p === undefined ? 'undefined' : names.get(p) || 'other');
// A message with every named port replaced by its name.
const portless = (m) => {
  let s = String(m);
  for (const [p, n] of names) s = s.replace(new RegExp(`:${p}(?![0-9])`, 'g'), `:${n}`);
  return s;
};
const err = (e) => {
  const head = `${e.code} ${e.syscall} ${e.address} ${pname(e.port)} ${portless(e.message)}`;
  const inner = (e.errors || []).map(
    (x) => ` [${x.code} ${x.syscall} ${x.address} ${pname(x.port)}]`,
  );
  return head + inner.join('');
};
const addr = (a) => (a ? `${a.address} ${a.family} ${pname(a.port)}` : 'null');

// A block list of the loopback of family f (`4` or `6`), or none (`-`).
const blockList = (f) => {
  if (f !== '4' && f !== '6') return undefined;
  const bl = new net.BlockList();
  if (f === '4') bl.addAddress('127.0.0.1', 'ipv4');
  else bl.addAddress('::1', 'ipv6');
  return bl;
};

const servers = [0, 1].map((k) => {
  const s = net.createServer({ blockList: k === 1 ? blockList(head[1]) : undefined });
  const name = `S${k}`;
  const srv = { s, last: undefined, accepted: [] };
  s.on('listening', () => {
    const a = s.address();
    srv.last = a.port;
    if (!names.has(a.port)) names.set(a.port, name);
    note(name, 'listening', addr(a));
  });
  s.on('error', (e) => note(name, 'error', err(e)));
  s.on('close', () => note(name, 'close'));
  s.on('connection', (c) => {
    srv.accepted.push(c);
    note(name, 'connection', c.remoteAddress, c.remoteFamily, c.localAddress);
    c.on('error', () => {});
  });
  return srv;
});

const clients = [];
const newClient = (tok) => {
  const k = clients.length;
  const srv = servers[Number(tok[1])];
  const a = srv.s.address();
  const port = a ? a.port : REFUSED_PORT;
  // A server closed before its `listening` still had an address.
  if (!names.has(port)) names.set(port, `S${tok[1]}`);
  const opts = { port, host: HOSTS[tok[2]], family: Number(tok[3]) };
  if (tok[4] !== 'd') opts.autoSelectFamily = tok[4] === 't';
  // `P`: the other server's port, as the local port.
  if (tok[5] === 'P') opts.localPort = servers[1 - Number(tok[1])].last;
  else if (tok[5] !== '-') opts.localAddress = HOSTS[tok[5]];
  const bl = blockList(tok[6]);
  if (bl) opts.blockList = bl;
  if (tok[2] === 'b') opts.lookup = resolver(['::1', '127.0.0.1']);
  if (tok[2] === 'B') opts.lookup = resolver(['127.0.0.1', '::1']);
  const name = `c${k}`;
  let c;
  try {
    c = net.connect(opts);
  } catch (e) {
    return `throws ${e.code}`;
  }
  clients.push(c);
  c.on('lookup', (e, address, family, host) =>
    note(name, 'lookup', e ? e.code : null, address, family, host),
  );
  c.on('connectionAttempt', (ip, p, family) => note(name, 'attempt', ip, pname(p), family));
  c.on('connectionAttemptFailed', (ip, p, family, e) =>
    note(name, 'attempt failed', ip, pname(p), family, e.code),
  );
  c.on('connectionAttemptTimeout', (ip, p, family) =>
    note(name, 'attempt timeout', ip, pname(p), family),
  );
  c.on('connect', () => {
    const tried = c.autoSelectFamilyAttemptedAddresses;
    note(
      name,
      'connect',
      c.remoteAddress,
      c.remoteFamily,
      pname(c.remotePort),
      c.localAddress,
      c.localFamily,
      tried ? tried.map(portless).join(',') : 'undefined',
    );
  });
  c.on('ready', () => note(name, 'ready'));
  c.on('error', (e) => note(name, 'error', err(e)));
  c.on('close', (h) => note(name, 'close', h));
  return `${name} port ${pname(port)}`;
};

const op = (tok) => {
  switch (tok[0]) {
    case 'L':
    case 'P': {
      const srv = servers[Number(tok[1])];
      let port = 0;
      if (tok[0] === 'P') {
        port = servers[1 - Number(tok[1])].last;
        if (port === undefined) return 'none';
      }
      const opts = { port, host: HOSTS[tok[2]] };
      if (tok[3] === 'v') opts.ipv6Only = true;
      try {
        srv.s.listen(opts);
      } catch (e) {
        return `throws ${e.code}`;
      }
      return `- ${addr(srv.s.address())}`;
    }
    case 'C': {
      const name = `S${tok[1]}`;
      servers[Number(tok[1])].s.close((e) => note(name, 'close cb', e ? e.code : 'undefined'));
      return '-';
    }
    case 'A':
      return addr(servers[Number(tok[1])].s.address());
    case 'n':
      return newClient(tok);
    case 'c': {
      const c = clients[Number(tok[1])];
      if (tok[2] === 'd') c.destroy();
      else if (tok[2] === 'e') c.end();
      else c.write('hello');
      return `rs=${c.readyState} pending=${c.pending} connecting=${c.connecting}`;
    }
    default:
      throw new Error(`unknown op ${tok}`);
  }
};

const run = (i) => {
  if (i === parsed.length) {
    out('final', servers.map((s) => s.s.listening).join(' '));
    for (const c of clients) c.destroy();
    for (const srv of servers) {
      for (const c of srv.accepted) c.destroy();
      if (srv.s.listening) srv.s.close();
    }
    return;
  }
  for (const tok of parsed[i]) {
    out(`${i} ${tok}: ${op(tok)}`);
  }
  setTimeout(() => run(i + 1), STEP_MS);
};
run(0);
