// Driver of `fuzz_encoding` (tests/parity/fuzz_encoding.rs): reads the cases from the file
// named by its argument, one per line, and prints one line per case. Strings and bytes
// travel as hex (a string as its UTF-8 bytes). A string is printed well-formed (a lone
// surrogate as U+FFFD), as a Rust string must be.
//
//   E <enc> <hex>           Buffer.from(string, enc)
//   D <enc> <hex>           buffer.toString(enc)
//   S <enc> <hex>,<hex>...  a StringDecoder's write() of each chunk, then its end(), with
//                           utf16le's high surrogates moved as nodenet's rule moves them
'use strict';
const fs = require('fs');
const { StringDecoder } = require('string_decoder');
const { out } = require('./_lib');

const bytes = (h) => Buffer.from(h, 'hex');
const text = (s) => Buffer.from(s.toWellFormed(), 'utf8').toString('hex');

for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\n')) {
  const [kind, enc, arg = ''] = line.split(' ');
  if (kind === 'E') {
    out(Buffer.from(bytes(arg).toString('utf8'), enc).toString('hex'));
  } else if (kind === 'D') {
    out(text(bytes(arg).toString(enc)));
  } else if (kind === 'S') {
    // nodenet's documented rule for utf16le (src/stream/decoder.rs): a high surrogate
    // that would end a write's result is held back to the start of the next non-empty
    // one (or the end's), so that no pair Node's concatenation would join is cut.
    let held = '';
    const hold = (r) => {
      if (enc !== 'utf16le' || (held && r === '')) return r;
      r = held + r;
      held = '';
      const last = r.charCodeAt(r.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        held = r.slice(-1);
        r = r.slice(0, -1);
      }
      return r;
    };
    const d = new StringDecoder(enc);
    const res = arg.split(',').map((h) => text(hold(d.write(bytes(h)))));
    res.push(text(held + d.end()));
    out(res.join(','));
  }
}
