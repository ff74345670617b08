// Node 24's setTypeOfService()/getTypeOfService() and the typeOfService option: a fresh
// socket answers the cached value (0 or the option's); a TCP connect without its socket yet
// (an IP literal connects on the next tick) throws EBADF from both, yet keeps the value set,
// which is applied once connected; a connected socket reads the kernel (Linux keeps the two
// ECN bits of a TCP socket: 3 reads 0, 0xff reads 0xfc), over IPv4 and IPv6 (traffic class);
// an accepted socket starts at 0; after close the cached value answers again; a Unix socket
// only caches.
const net = require('net');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { out, note } = require('./_lib');

// `actor`: the accepting side's lines go to its own trace (their order against the
// client's hinges on the OS).
const t = (label, f, actor) => {
  const say = actor ? (...p) => note(actor, ...p) : out;
  try {
    say(label, f());
  } catch (e) {
    say(label, 'throws', e.code, e.syscall, e.message);
  }
};

const fresh = new net.Socket();
t('fresh get', () => fresh.getTypeOfService());
t('fresh set 16', () => fresh.setTypeOfService(16) === fresh);
t('fresh get after set', () => fresh.getTypeOfService());
t('option get', () => new net.Socket({ typeOfService: 0x40 }).getTypeOfService());

function tcp(host, next) {
  const srv = net.createServer((c) => {
    t(`${host} accepted get`, () => c.getTypeOfService(), host);
    t(`${host} accepted set 0x28`, () => c.setTypeOfService(0x28) === c, host);
    t(`${host} accepted get after set`, () => c.getTypeOfService(), host);
    c.end();
  });
  srv.listen(0, host, () => {
    const s = net.connect({ port: srv.address().port, host, typeOfService: 0x20 });
    t(`${host} connecting get`, () => s.getTypeOfService());
    t(`${host} connecting set 0xb8`, () => s.setTypeOfService(0xb8) === s);
    s.on('connect', () => {
      t(`${host} connected get`, () => s.getTypeOfService());
      t(`${host} set 3`, () => s.setTypeOfService(3) === s);
      t(`${host} get after 3`, () => s.getTypeOfService());
      t(`${host} set 0xff`, () => s.setTypeOfService(0xff) === s);
      t(`${host} get after 0xff`, () => s.getTypeOfService());
    });
    s.on('close', () => {
      t(`${host} closed get`, () => s.getTypeOfService());
      t(`${host} closed set 4`, () => s.setTypeOfService(4) === s);
      t(`${host} closed get after set`, () => s.getTypeOfService());
      srv.close(next);
    });
    s.resume();
  });
}

function unix() {
  const p = path.join(os.tmpdir(), `nodenet-tos-js-${process.pid}.sock`);
  try { fs.unlinkSync(p); } catch {}
  const srv = net.createServer((c) => {
    t('unix accepted set 8', () => c.setTypeOfService(8) === c, 'unix');
    t('unix accepted get', () => c.getTypeOfService(), 'unix');
    c.end();
  });
  srv.listen(p, () => {
    const s = net.connect({ path: p, typeOfService: 0x10 });
    s.on('connect', () => t('unix connected get', () => s.getTypeOfService()));
    s.on('close', () => srv.close(unixMissing));
    s.resume();
  });
}

// A Unix connect that fails (no such path) only caches, before and after its error.
function unixMissing() {
  const s = net.connect({ path: path.join(os.tmpdir(), `nodenet-tos-js-missing-${process.pid}.sock`), typeOfService: 0x10 });
  t('missing unix get', () => s.getTypeOfService());
  t('missing unix set 8', () => s.setTypeOfService(8) === s);
  t('missing unix get after set', () => s.getTypeOfService());
  s.on('error', (e) => {
    out('missing unix error', e.code);
    t('missing unix get after error', () => s.getTypeOfService());
  });
}

tcp('127.0.0.1', () => tcp('::1', unix));
