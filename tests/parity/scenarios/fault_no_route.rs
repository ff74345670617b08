//! Destinations with no route (run in a network namespace of its own, with loopback only):
//! the connect call itself fails, so the socket is destroyed at once with no failed attempt
//! and the message names the local side (ENETUNREACH for an IPv4 address off loopback, a
//! broadcast or a multicast one; EINVAL for a link-local IPv6 address with no interface);
//! the any-address goes to loopback and is refused on the loop, as a failed attempt.
use nodenet::net::{self, events::*};

use crate::harness::{error_line, undef};

const HOSTS: [&str; 6] = [
    "10.1.2.3",
    "255.255.255.255",
    "224.0.0.1",
    "fe80::1",
    "0.0.0.0",
    "::",
];

fn next(i: usize) {
    let Some(&host) = HOSTS.get(i) else { return };
    let c = net::connect((80, host));
    c.on(ConnectionAttempt, move |a| {
        out!("{host} attempt {} {} {}", a.address, a.port, a.family)
    });
    c.on(ConnectionAttemptFailed, move |a| {
        out!(
            "{host} failed {}",
            undef(a.error.map(|e| e.code().to_string()))
        )
    });
    c.on(Connect, move |_| out!("{host} connect"));
    c.on(Error, move |e| out!("{host} error {}", error_line(&e)));
    c.on(Close, move |h| {
        out!("{host} close {h}");
        next(i + 1);
    });
}

pub fn scenario() {
    next(0);
}
