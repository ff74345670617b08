//! Happy eyeballs with nothing listening: both attempts refused, one aggregate error
//! carrying the first error's code and every error in attempt order, then close(true).
use nodenet::net::events::*;

use crate::harness::{REFUSED_PORT, connect_via_both_loopbacks, portless, undef};

pub fn scenario() {
    let port = REFUSED_PORT;
    let c = connect_via_both_loopbacks(port);
    c.on(ConnectionAttempt, |a| {
        out!("attempt {} {}", a.address, a.family)
    });
    c.on(ConnectionAttemptFailed, |a| {
        out!(
            "failed {} {} {}",
            a.address,
            a.family,
            undef(a.error.map(|e| e.code().to_string()))
        )
    });
    c.on(Error, move |e| {
        out!("error {} {} {:?}", e.code(), e.name(), e.message());
        let all: Vec<String> = e
            .errors()
            .iter()
            .map(|x| portless(x.message(), port))
            .collect();
        out!("errors {}", all.join(" | "));
    });
    c.on(Close, |h| out!("close {h}"));
}
