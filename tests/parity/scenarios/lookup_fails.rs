//! A name that does not resolve: lookup(err) then error (getaddrinfo ENOTFOUND, with the
//! hostname, no address or port) and close(true).
use nodenet::net::{self, events::*};

use crate::harness::{lookup_line, undef};

pub fn scenario() {
    let c = net::connect((80, "nodenet-test.invalid"));
    c.on(Lookup, |l| out!("{}", lookup_line(&l)));
    c.on(Error, |e| {
        out!(
            "error {} {} {} {} {} {}",
            e.code(),
            undef(e.syscall()),
            undef(e.hostname()),
            e.message(),
            undef(e.address()),
            undef(e.port())
        )
    });
    c.on(Close, |h| out!("close {h}"));
}
