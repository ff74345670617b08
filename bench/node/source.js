'use strict';
// Source: write one 1 MiB buffer over and over as fast as the socket takes it
// (server-to-client bulk; nodenet's server and the raw baseline write the same
// 1 MiB block per call); anything read is discarded.
const { serve } = require('./common.js');

const block = Buffer.alloc(1024 * 1024);
for (let i = 0; i < block.length; i++) block[i] = 97 + (i % 26);

function discard() {}

serve((socket) => {
  let open = true;
  const pump = () => {
    while (open && socket.write(block)) {}
  };
  socket.on('data', discard);
  socket.on('drain', pump);
  socket.on('close', () => {
    open = false;
  });
  pump();
});
