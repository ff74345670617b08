// Encoding names as Node takes them, case-insensitive: readableEncoding is the canonical
// name; an unknown name throws ERR_UNKNOWN_ENCODING ("Unknown encoding: <name>") from
// setEncoding and from write, and changes nothing.
const net = require('net');
const { out } = require('./_lib');

const s = new net.Socket();
for (const name of ['utf8', 'UTF-8', 'Utf8', 'ucs2', 'UCS-2', 'utf16le', 'UTF-16LE', 'latin1',
  'Binary', 'ASCII', 'hex', 'Base64', 'BASE64URL']) {
  s.setEncoding(name);
  out(name, '->', s.readableEncoding);
}
for (const name of ['utf-7', 'latin-1', 'utf16', 'base-64', 'ucs', 'utf 8']) {
  try {
    s.setEncoding(name);
    out(name, 'accepted');
  } catch (e) {
    out(name, 'setEncoding', e.code, e.message, 'still', s.readableEncoding);
  }
  try {
    s.write('x', name);
    out(name, 'write accepted');
  } catch (e) {
    out(name, 'write', e.code, e.message, 'writableLength', s.writableLength);
  }
}
s.destroy();
