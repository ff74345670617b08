// setEncoding('base64') and ('base64url') across chunk boundaries, each piece one chunk:
// bytes are encoded in whole 3-byte groups, the rest kept for the next chunk; the FIN
// flushes what is left (padded with = in base64, unpadded in base64url).
const { out } = require('./_lib');
const { serve, decodeRound } = require('./_s3');

const accepted = {};
serve({}, (s) => (accepted.s = s), (server, port) => {
  const pieces = [[0x61], [0x62, 0x63], [0x64], [0x65, 0x66, 0x67, 0xfb, 0xff], [0xbf]];
  decodeRound(port, accepted, 'base64:', 'base64', pieces, () =>
    decodeRound(port, accepted, 'base64url:', 'base64url', pieces.concat([[0xfe]]), () =>
      decodeRound(port, accepted, 'BASE64 tail 2:', 'BASE64', [[0x68, 0x69]], () =>
        server.close())));
});
