// Helpers shared by the scenarios with a slow callback; the Rust twins are in
// scenarios/slow_util.rs.
'use strict';

const net = require('net');

// Keep the loop busy for ms milliseconds.
function busy(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

// A client that sends 'a', sends 'b' when the first reply arrives, and ends when the
// server does.
function aThenB(port) {
  const c = net.connect(port, '127.0.0.1');
  let sent = false;
  c.write('a');
  c.on('data', () => {
    if (!sent) {
      sent = true;
      c.write('b');
    }
  });
  c.on('end', () => c.end());
  c.on('error', () => {});
  return c;
}

module.exports = { busy, aThenB };
