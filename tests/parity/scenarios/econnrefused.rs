//! Connecting to a port nothing listens on: connectionAttempt, connectionAttemptFailed,
//! error (Node's fields; the port shown as P), close(true).
use nodenet::net::{self, events::*};

use crate::harness::{REFUSED_PORT, error_fields, portless, undef};

pub fn scenario() {
    let port = REFUSED_PORT;
    let c = net::connect((port, "127.0.0.1"));
    out!(
        "after connect() {} {} {}",
        c.connecting(),
        c.pending(),
        c.ready_state()
    );
    c.on(ConnectionAttempt, move |a| {
        out!(
            "connectionAttempt {} {} {}",
            a.address,
            a.port == port,
            a.family
        )
    });
    c.on(ConnectionAttemptFailed, move |a| {
        let code = a.error.as_ref().map(|e| e.code().to_string());
        out!(
            "connectionAttemptFailed {} {} {} {}",
            a.address,
            a.port == port,
            a.family,
            undef(code)
        )
    });
    c.on(Connect, |_| out!("connect"));
    c.on(Error, move |e| {
        out!("error {}", error_fields(&e, port));
        out!("message {}", portless(e.message(), port));
        out!("connecting {} destroyed {}", c.connecting(), c.destroyed());
    });
    c.on(Close, |e| out!("close {e}"));
}
