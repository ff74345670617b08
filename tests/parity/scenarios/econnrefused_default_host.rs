//! A connect given a port only goes to localhost: refused there, the error (or, where
//! localhost has both loopbacks, the first error of the aggregate one) is ECONNREFUSED
//! with that port and the loopback address, and the socket is no longer connecting by
//! then (test-net-better-error-messages-port, test-net-connect-handle-econnrefused).
use nodenet::net::{self, events::*};

use crate::harness::{REFUSED_PORT, lookup_line, portless, undef};

pub fn scenario() {
    let port = REFUSED_PORT;
    let c = net::connect(port);
    out!("after connect() {} {}", c.connecting(), c.ready_state());
    c.on(Lookup, |l| out!("{}", lookup_line(&l)));
    c.on(ConnectionAttempt, move |a| {
        out!("attempt {} {} {}", a.address, a.port == port, a.family)
    });
    c.on(ConnectionAttemptFailed, |a| {
        out!(
            "attempt failed {} {}",
            a.address,
            undef(a.error.map(|e| e.code().to_string()))
        )
    });
    c.on(Connect, |_| out!("connect"));
    c.on(Error, move |e| {
        let first = e.errors().first().unwrap_or(&e);
        out!(
            "error {} first {} {} {} {}",
            e.code(),
            first.code(),
            undef(first.syscall()),
            undef(first.address()),
            first.port() == Some(port)
        );
        out!("message {}", portless(e.message(), port));
        out!("connecting {} destroyed {}", c.connecting(), c.destroyed());
    });
    c.on(Close, |h| out!("close {h}"));
}
