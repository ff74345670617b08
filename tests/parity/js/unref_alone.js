// An unref'd server alone: listening is still emitted, then the run ends.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer();
server.listen(0, () => out('listening', server.listening));
server.unref();
out('listen() returned', server.listening);
process.nextTick(() => out('next tick'));
setImmediate(() => out('immediate'));
