// setEncoding('utf16le') (and its names ucs2, UTF-16LE) across chunk boundaries, each piece
// one chunk: a code unit split at an odd byte; a surrogate pair split between its halves
// (held until complete); an odd byte left at the FIN is dropped.
const { out } = require('./_lib');
const { serve, decodeRound } = require('./_s3');

const accepted = {};
serve({}, (s) => (accepted.s = s), (server, port) => {
  decodeRound(port, accepted, 'utf16le:', 'utf16le', [
    [0x68], [0x00, 0x69], [0x00, 0xac, 0x20],
    [0x3d, 0xd8], [0x00, 0xde], [0x21, 0x00, 0x3d, 0xd8], [0x02, 0xde],
    [0x41],
  ], () => decodeRound(port, accepted, 'ucs2:', 'ucs2', [[0x6f, 0x00, 0x6b]], () =>
    decodeRound(port, accepted, 'UTF-16LE:', 'UTF-16LE', [[0xe9, 0x00]], () =>
      server.close())));
});
