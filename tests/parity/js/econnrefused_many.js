// Five rounds of fifty connects at once (port only, autoSelectFamily false) to a port
// nothing listens on, each round started by the last error of the one before: every
// connect fails with ECONNREFUSED and closes, and after the last round nothing keeps the
// process (test-net-connect-econnrefused).
const net = require('net');
const { out, REFUSED_PORT } = require('./_lib');

const ROUNDS = 5;
const PER_ROUND = 50;
let round = 0;
let closes = 0;
let connects = 0;

function pummel() {
  round++;
  let pending = PER_ROUND;
  const codes = {};
  for (let i = 0; i < PER_ROUND; i++) {
    const c = net.connect({ port: REFUSED_PORT, autoSelectFamily: false });
    c.on('connect', () => connects++);
    c.on('close', () => closes++);
    c.on('error', (e) => {
      const first = Array.isArray(e.errors) ? e.errors[0] : e;
      codes[first.code] = (codes[first.code] || 0) + 1;
      if (--pending > 0) return;
      out('round', round, JSON.stringify(codes));
      if (round < ROUNDS) pummel();
      else setTimeout(() => out('timer: closes', closes, 'connects', connects), 0);
    });
  }
}
pummel();
