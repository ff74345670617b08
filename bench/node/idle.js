'use strict';
// Idle: accept and hold connections, reading only.
const { serve } = require('./common.js');

function discard() {}

serve((socket) => {
  socket.on('data', discard);
});
