'use strict';
// Raw-`net` HTTP hello: one fixed response per request head (every
// "\r\n\r\n"), keep-alive, pipelining-aware. Not the http module.
const { serve } = require('./common.js');

const RESPONSE = Buffer.from(
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nhello world\n',
);
const END = Buffer.from('\r\n\r\n');

// How many bytes of "\r\n\r\n" the end of `chunk` matches (0..3).
function trailingMatch(chunk) {
  for (let k = Math.min(3, chunk.length); k > 0; k--) {
    if (chunk.compare(END, 0, k, chunk.length - k) === 0) return k;
  }
  return 0;
}

serve((socket) => {
  let carried = 0; // bytes of the terminator seen at the end of the last chunk
  socket.on('data', (chunk) => {
    let count = 0;
    let from = 0;
    // Finish a terminator that the previous chunk began.
    let m = carried;
    while (m > 0 && from < chunk.length) {
      const b = chunk[from++];
      if (b === END[m]) {
        if (++m === 4) {
          count++;
          m = 0;
        }
      } else {
        m = b === 13 ? 1 : 0;
      }
    }
    if (m > 0) {
      carried = m; // the chunk ended inside a terminator
    } else {
      for (;;) {
        const at = chunk.indexOf(END, from);
        if (at < 0) break;
        count++;
        from = at + 4;
      }
      carried = from >= chunk.length ? 0 : trailingMatch(chunk.subarray(from));
    }
    if (count === 1) {
      socket.write(RESPONSE);
    } else if (count > 1) {
      socket.write(Buffer.concat(new Array(count).fill(RESPONSE)));
    }
  });
});
