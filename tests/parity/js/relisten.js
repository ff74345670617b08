// A closed server can listen again, three times: listening, close() (not listening, no
// address at once), close event, listen again.
const net = require('net');
const { out } = require('./_lib');

const server = net.createServer();
let round = 0;
server.on('listening', () => {
  round++;
  out('listening', round, server.listening);
  server.close();
  out('after close', server.listening, server.address());
});
server.on('close', () => {
  out('close', round);
  if (round < 3) server.listen(0, '127.0.0.1');
});
server.listen(0, '127.0.0.1');
