// The driver shared by the scenarios made of lettered parts, one connection each, run one
// after the other; the Rust twin is scenarios/parts_util.rs. The server writes `hello`,
// `world!` worldAt ms later and ends at endAt ms, so each write arrives as a read of its
// own; a part's `end`, `error` and `close` are printed, and its `close` starts the next
// part. `connect` adds options to each client's connect (a highWaterMark, say).
//
// A part is its client's function, or `{ client, serve, connect }`: then `serve(s)` is
// what the server does with that part's connection (in place of hello and world!), and
// `connect` adds options to that part's connect only.
'use strict';

const net = require('net');
const { out } = require('./_lib');

function runParts(parts, { worldAt = 20, endAt = 60, connect = {} } = {}) {
  const order = Object.keys(parts);
  const usual = (s) => {
    s.write('hello');
    setTimeout(() => s.write('world!'), worldAt);
    setTimeout(() => s.end(), endAt);
  };
  const part = (name) =>
    typeof parts[name] === 'function' ? { client: parts[name] } : parts[name];
  let current = null;
  const server = net.createServer((s) => {
    s.on('error', () => {});
    (part(current).serve || usual)(s);
  });
  server.listen(0, '127.0.0.1', () => {
    const next = (i) => {
      if (i === order.length) {
        server.close();
        return;
      }
      const name = order[i];
      current = name;
      const c = net.connect({
        port: server.address().port,
        host: '127.0.0.1',
        ...connect,
        ...(part(name).connect || {}),
      });
      part(name).client(c);
      c.on('end', () => out(name, 'end'));
      c.on('error', (e) => out(name, 'error', e.code));
      c.on('close', () => {
        out(name, 'close');
        next(i + 1);
      });
    };
    next(0);
  });
}

module.exports = { runParts };
