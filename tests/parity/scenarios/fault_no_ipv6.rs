//! A namespace whose loopback has no IPv6 (disable_ipv6): a connect to ::1 fails in the
//! connect call itself with EADDRNOTAVAIL, its message naming the local side (:::0):
//! - a plain connect: no failed attempt, the socket destroyed at once;
//! - happy eyeballs over [::1, 127.0.0.1]: the ::1 attempt fails at once (a failed attempt
//!   with the same error), and 127.0.0.1 connects.
use nodenet::net::{self, events::*};

use crate::harness::{connect_via_both_loopbacks, error_line, undef};

const PORT: u16 = 5000;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end_with("hi");
    });
    server.on(Listening, move |_| {
        let d = net::connect((PORT, "::1"));
        d.on(ConnectionAttempt, |a| {
            out!(
                "plain attempt {} {} {}",
                a.address,
                a.port == PORT,
                a.family
            )
        });
        d.on(ConnectionAttemptFailed, |a| {
            let code = a.error.map(|e| e.code().to_string());
            out!("plain failed {} {} {}", a.address, a.family, undef(code))
        });
        d.on(Error, |e| out!("plain error {}", error_line(&e)));
        d.on(Close, move |h| {
            out!("plain close {h}");
            let c = connect_via_both_loopbacks(PORT);
            c.on(ConnectionAttempt, |a| {
                out!("attempt {} {} {}", a.address, a.port == PORT, a.family)
            });
            c.on(ConnectionAttemptFailed, |a| {
                let e = a.error.expect("a failed attempt has an error");
                out!(
                    "failed {} {} {} {} {}",
                    a.address,
                    a.family,
                    e.code(),
                    undef(e.syscall()),
                    e.message()
                )
            });
            c.on(Connect, move |_| {
                let tried = c
                    .auto_select_family_attempted_addresses()
                    .map(|a| a.join(","));
                out!("connect {} {}", undef(c.remote_address()), undef(tried))
            });
            c.on(Data, |b| out!("data {b}"));
            c.on(Close, move |h| {
                out!("close {h}");
                server.close();
            });
        });
    });
    server.listen((PORT, "127.0.0.1"));
}
