'use strict';
// Sink: read and discard (client-to-server bulk).
const { serve } = require('./common.js');

function discard() {}

serve((socket) => {
  socket.on('data', discard);
});
