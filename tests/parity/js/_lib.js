// Shared by every parity scenario: loaded with `node --require _lib.js <scenario>.js`.
//
// A scenario prints one line per event, its parts formatted as console.log formats them
// (strings as they are, a Buffer as `<Buffer 68 69>`). Two ways:
// - `out(...parts)`: a line in the global trace, in the order it happens;
// - `note(actor, ...parts)`: a line in `actor`'s own trace. Actors' traces are printed at
//   exit, sorted by actor name, so their relative order (which can hinge on the OS, e.g. the
//   two ends of one connection) never matters.
// The Rust harness (tests/parity/harness.rs) prints the same way.
'use strict';

const util = require('util');
const notes = new Map();

function line(parts) {
  return parts.map((p) => (typeof p === 'string' ? p : util.inspect(p))).join(' ');
}

function out(...parts) {
  console.log(line(parts));
}

function note(actor, ...parts) {
  if (!notes.has(actor)) notes.set(actor, []);
  notes.get(actor).push(line(parts));
}

process.on('uncaughtException', (e) => {
  out('uncaught', (e && e.code) || (e && e.message) || String(e));
  process.exit(1);
});

process.on('exit', () => {
  for (const actor of [...notes.keys()].sort()) {
    for (const l of notes.get(actor)) console.log(`[${actor}] ${l}`);
  }
  console.log('exit');
});

// The port inside an error message, replaced with P.
function portless(msg, port) {
  return String(msg).split(':' + port).join(':P');
}

// A port nothing listens on, for connects that must be refused: below the kernel's
// ephemeral range (so no test's port-0 listener or client socket can be given it, as a
// port just freed by closing a probe server could be under parallel tests) and a service
// (discard) that no test machine runs.
const REFUSED_PORT = 9;

module.exports = { out, note, portless, REFUSED_PORT };
