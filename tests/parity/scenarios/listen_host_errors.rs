//! listen() on a host name that does not resolve emits the lookup's error (getaddrinfo
//! ENOTFOUND, the hostname) and never listens; on an IPv6 link-local address with no zone
//! (fe80::1), the bind's error with syscall listen and that address
//! (test-net-server-listen-ipv6-link-local).
use nodenet::net::{self, events::*};

use crate::harness::{null, undef};

fn fields(e: &nodenet::Error) -> String {
    format!(
        "{} {} {} {} {} {} {}",
        e.code(),
        undef(e.errno()),
        undef(e.syscall()),
        undef(e.hostname()),
        undef(e.address()),
        undef(e.port()),
        e.message()
    )
}

pub fn scenario() {
    let named = net::create_server();
    named.on(Listening, |_| out!("named listening"));
    named.on(Close, |_| out!("named close"));
    named.on(Error, move |e| {
        out!("named error {}", fields(&e));
        out!(
            "named listening {} {}",
            named.listening(),
            null(named.address())
        );
        let ll = net::create_server();
        ll.on(Listening, |_| out!("link-local listening"));
        ll.on(Close, |_| out!("link-local close"));
        ll.on(Error, move |e| {
            out!("link-local error {}", fields(&e));
            out!(
                "link-local listening {} {}",
                ll.listening(),
                null(ll.address())
            );
        });
        ll.listen((0, "fe80::1"));
    });
    named.listen((0, "nodenet-test.invalid"));
}
