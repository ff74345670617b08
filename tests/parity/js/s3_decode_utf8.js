// setEncoding('utf8') across chunk boundaries, each piece one chunk: a 3-byte and a 4-byte
// character split across chunks (a chunk that completes nothing gives no data event),
// invalid bytes and a truncated sequence followed by ASCII (U+FFFD each), and a dangling
// sequence at the FIN, flushed as U+FFFD before end.
const { out } = require('./_lib');
const { serve, decodeRound } = require('./_s3');

const accepted = {};
serve({}, (s) => (accepted.s = s), (server, port) => {
  decodeRound(port, accepted, 'utf8:', 'utf8', [
    [0x61, 0xe2], [0x82], [0xac, 0x62],
    [0xf0, 0x9f], [0x98], [0x80, 0x63],
    [0xff, 0x64], [0xc3], [0x28, 0xed, 0xa0, 0x80, 0x65],
    [0xe2, 0x82],
  ], () => decodeRound(port, accepted, 'UTF-8 name:', 'UTF-8', [[0xce], [0xbb, 0xce]], () =>
    server.close()));
});
