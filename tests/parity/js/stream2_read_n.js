// Ports of Node's test-stream2-readable-non-empty-end, test-stream2-large-read-stall,
// test-stream2-read-correct-num-bytes-in-utf8, test-stream2-set-encoding and
// test-stream2-base64-single-char-read-end, on sockets: read(n) in a `readable` listener
// up to the end of the data. Each part is one connection; the server sends the part's
// payload in one write and ends (C: in two writes 20 ms apart); the printed lines do not
// hang on how the bytes are cut into reads.
// A: (non-empty-end) 55 bytes; the listener reads read(54) once it can, the last byte is
//    read 5 ms later with read() (then null): `end` comes only after it.
// B: (large-read-stall) highWaterMark 50, 20010 bytes read with read(100) until a short
//    read: no stall, 200 reads of 100 and the last 10 at the end; readableHighWaterMark is
//    raised to 128 by the first read(100).
// C: (read-correct-num-bytes-in-utf8) setEncoding('utf8'), no listener: `abc` and `déf€h`
//    arrive as two chunks; read(5) takes `abcdé` across them, read(3) `f€h`, read(1) null.
// D, E, F: (set-encoding) a `readable` listener reading read(n) until null: utf8 by 10
//    characters over 21 of 1-, 2- and 3-byte ones (the last read the single one left at the
//    end); hex by 13 over 100 bytes (15 reads, `16161` at the end); base64 by 10 over 100
//    bytes (13 reads, `FhYQ==` at the end, after the decoder's flush at the FIN).
// G: (base64-single-char-read-end) setEncoding('base64') on one byte, `1`, then the FIN:
//    the decoder's flush gives `MQ==` as data before `end`; piped into the client itself,
//    the server gets `MQ==` back, then the end.
const { out, note } = require('./_lib');
const { runParts } = require('./_parts');

const loop = (name, c, n) => {
  c.on('readable', () => {
    let d;
    while ((d = c.read(n)) !== null) out(name, 'read', d.length, d);
  });
};

const parts = {
  A: {
    serve: (s) => s.end(Buffer.alloc(55, 'x')),
    client: (c) => {
      let got = 0;
      c.on('readable', () => {
        const res = c.read(Math.max(0, 55 - got - 1));
        if (res) {
          got += res.length;
          out('A read', res.length, 'left', c.readableLength);
          setTimeout(() => {
            out('A read()', c.read().length);
            out('A read() again', c.read());
          }, 5);
        }
        c.read(0);
      });
    },
  },
  B: {
    connect: { highWaterMark: 50 },
    serve: (s) => s.end(Buffer.alloc(20010, 'y')),
    client: (c) => {
      let full = 0;
      let total = 0;
      out('B hwm', c.readableHighWaterMark);
      c.on('readable', () => {
        let ret;
        do {
          ret = c.read(100);
          if (ret) {
            total += ret.length;
            if (ret.length === 100) full++;
            else out('B short read', ret.length);
          }
        } while (ret && ret.length === 100);
      });
      c.on('end', () => out('B reads of 100:', full, 'total', total, 'hwm', c.readableHighWaterMark));
    },
  },
  C: {
    serve: (s) => {
      s.write('abc');
      setTimeout(() => s.write('déf€h'), 20);
      setTimeout(() => s.end(), 40);
    },
    client: (c) => {
      c.setEncoding('utf8');
      const wait = () => {
        if (c.readableLength !== 8) return setTimeout(wait, 2);
        out('C buffered', c.readableLength);
        out('C read(5)', c.read(5), c.readableLength);
        out('C read(3)', c.read(3), c.readableLength);
        out('C read(1)', c.read(1), c.readableLength);
      };
      wait();
    },
  },
  D: {
    serve: (s) => s.end('aé€'.repeat(7)),
    client: (c) => {
      c.setEncoding('utf8');
      loop('D', c, 10);
    },
  },
  E: {
    serve: (s) => s.end(Buffer.alloc(100, 'a')),
    client: (c) => {
      c.setEncoding('hex');
      loop('E', c, 13);
    },
  },
  F: {
    serve: (s) => s.end(Buffer.alloc(100, 'a')),
    client: (c) => {
      c.setEncoding('base64');
      loop('F', c, 10);
    },
  },
  G: {
    serve: (s) => {
      s.on('data', (d) => note('server', 'G got', d.toString()));
      s.on('end', () => note('server', 'G end'));
      s.end('1');
    },
    client: (c) => {
      c.setEncoding('base64');
      c.on('data', (d) => out('G data', d));
      c.pipe(c);
    },
  },
};

runParts(parts);
