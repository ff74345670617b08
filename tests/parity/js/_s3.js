// Helpers shared by the issue-3 (`s3_*`) scenarios; the Rust twins are in
// scenarios/s3_util.rs.
'use strict';

const net = require('net');

// A server on 127.0.0.1 and an OS-chosen port: onConn for each accepted socket,
// onListen(server, port) once listening.
function serve(opts, onConn, onListen) {
  const server = net.createServer(opts, onConn);
  server.listen(0, '127.0.0.1', () => onListen(server, server.address().port));
  return server;
}

// serve() with a server that reads every connection to its end and ignores its errors.
function serveSink(onListen) {
  return serve({}, (s) => {
    s.resume();
    s.on('error', () => {});
  }, onListen);
}

// Call then() once cond() holds, checking every 2 ms.
function waitUntil(cond, then) {
  if (cond()) return then();
  setTimeout(() => waitUntil(cond, then), 2);
}

// Send pieces one at a time, each only once `reader` (the other end, in this process) has
// read everything sent before, so each piece arrives as one chunk; then then(). Nothing
// else may be in flight towards `reader` when it starts.
function lockstep(writer, reader, pieces, then) {
  let sent = reader.bytesRead;
  const step = (i) => {
    if (i === pieces.length) return then();
    sent += pieces[i].length;
    writer.write(Buffer.from(pieces[i]));
    waitUntil(() => reader.bytesRead >= sent, () => step(i + 1));
  };
  step(0);
}

// An error as `e.code || e.message`, `null` for none.
const code = (e) => (e ? e.code || e.message : null);

module.exports = { serve, serveSink, waitUntil, lockstep, code };

// A client that decodes with `encoding` while the server sends `pieces` in lockstep (one
// chunk each) and then ends; each data is printed as JSON (`name data "..."`), then `end`;
// then() runs at close. `accepted` holds the server's socket once accepted: { s }.
function decodeRound(port, accepted, name, encoding, pieces, then) {
  const { out } = require('./_lib');
  const c = net.connect(port, '127.0.0.1');
  c.setEncoding(encoding);
  c.on('data', (d) => out(name, 'data', JSON.stringify(d)));
  c.on('end', () => out(name, 'end'));
  c.on('close', () => then());
  c.on('connect', () => {
    waitUntil(() => accepted.s, () => {
      const s = accepted.s;
      accepted.s = null;
      lockstep(s, c, pieces, () => s.end());
    });
  });
}

module.exports.decodeRound = decodeRound;
