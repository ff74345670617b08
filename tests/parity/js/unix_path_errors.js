// Unix paths that cannot work: connecting to a regular file is refused (ECONNREFUSED,
// syscall connect, the path as address); a path longer than a socket address holds (120
// and 10 000 bytes) is not truncated but refused with EINVAL, by connect (whose message
// Node ends with " - Local (undefined:undefined)") and by listen (an error event, no
// listening, no file left). Paths are shown as F and L.
const net = require('net');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { out } = require('./_lib');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodenet-parity-paths-'));
const file = path.join(dir, 'plain');
fs.writeFileSync(file, 'x');
const mid = path.join(dir, 'y'.repeat(120));
const long = path.join(dir, 'x'.repeat(10000));

function show(what, e, p) {
  out(what, e.code, e.syscall, e.address === p, e.message.split(p).join('L'));
}

const c = net.connect(file);
c.on('connect', () => out('file connect'));
c.on('error', (e) => out('file', e.code, e.syscall, e.address === file, e.message.split(file).join('F')));
c.on('close', (h) => {
  out('file close', h);
  (function step(list) {
    if (list.length === 0) {
      fs.rmSync(dir, { recursive: true, force: true });
      return;
    }
    const [name, p] = list[0];
    const d = net.connect(p);
    d.on('connect', () => out(name, 'connect'));
    d.on('error', (e) => show(`${name} connect`, e, p));
    d.on('close', (h) => {
      out(name, 'close', h);
      const s = net.createServer();
      s.on('listening', () => {
        out(name, 'listening');
        s.close();
      });
      s.on('error', (e) => {
        show(`${name} listen`, e, p);
        out(name, 'listening', s.listening, 'file left', fs.existsSync(p));
        step(list.slice(1));
      });
      s.listen(p);
    });
  })([['120', mid], ['10000', long]]);
});
