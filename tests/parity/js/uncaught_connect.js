// ECONNREFUSED with no error listener is an uncaught exception; close comes too late to run.
const net = require('net');
const { out, REFUSED_PORT } = require('./_lib');

const c = net.connect(REFUSED_PORT, '127.0.0.1');
c.on('close', () => out('close (never)'));
