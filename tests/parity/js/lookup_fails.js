// A name that does not resolve: lookup(err) then error (getaddrinfo ENOTFOUND, with the
// hostname, no address or port) and close(true).
const net = require('net');
const { out } = require('./_lib');

const c = net.connect(80, 'nodenet-test.invalid');
c.on('lookup', (e, a, f, h) => out('lookup', e && e.code, a, f, h));
c.on('error', (e) => out('error', e.code, e.syscall, e.hostname, e.message, e.address, e.port));
c.on('close', (h) => out('close', h));
