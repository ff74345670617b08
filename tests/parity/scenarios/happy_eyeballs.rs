//! Happy eyeballs: a resolver answering [::1, 127.0.0.1] for a name, a server on 127.0.0.1
//! only: lookup events for both, a refused ::1 attempt, then 127.0.0.1 connects.
use nodenet::net::{self, events::*};

use crate::harness::{connect_via_both_loopbacks, lookup_line, undef};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end_with("hi");
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = connect_via_both_loopbacks(port);
        c.on(Lookup, |l| out!("{}", lookup_line(&l)));
        c.on(ConnectionAttempt, move |a| {
            out!("attempt {} {} {}", a.address, a.port == port, a.family)
        });
        c.on(ConnectionAttemptFailed, |a| {
            out!(
                "failed {} {} {}",
                a.address,
                a.family,
                undef(a.error.map(|e| e.code().to_string()))
            )
        });
        c.on(Connect, move |_| {
            out!(
                "connect {} {}",
                undef(c.remote_address()),
                undef(c.remote_family())
            )
        });
        c.on(Data, |d| out!("data {d}"));
        c.on(End, |_| out!("end"));
        c.on(Close, move |h| {
            out!("close {h}");
            server.close();
        });
    });
    server.listen((0, "127.0.0.1"));
}
