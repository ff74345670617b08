'use strict';
// Echo: write back everything that is read (with backpressure).
const { serve } = require('./common.js');

serve((socket) => {
  socket.on('data', (chunk) => {
    if (!socket.write(chunk)) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  });
});
