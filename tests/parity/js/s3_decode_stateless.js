// Encodings without state across chunks: hex, latin1/binary (every byte value maps to the
// same code point), ascii (Node 24 clears the high bit); each chunk decodes on its own.
const { out } = require('./_lib');
const { serve, decodeRound } = require('./_s3');

const all = [...Array(256).keys()];
const accepted = {};
serve({}, (s) => (accepted.s = s), (server, port) => {
  decodeRound(port, accepted, 'hex:', 'hex', [[0x61, 0xe2], [0x82], [0x00, 0xff]], () =>
    decodeRound(port, accepted, 'latin1:', 'latin1', [all.slice(0, 128), all.slice(128)], () =>
      decodeRound(port, accepted, 'binary:', 'binary', [[0xe9, 0x74, 0xe9]], () =>
        decodeRound(port, accepted, 'ascii:', 'ascii', [[0x68, 0xe9, 0xff, 0x80]], () =>
          server.close()))));
});
