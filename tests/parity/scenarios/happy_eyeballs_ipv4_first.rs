//! Happy eyeballs takes the resolver's order: with [127.0.0.1, ::1] for a name and a
//! server on both loopbacks (::, dual-stack), the IPv4 address is tried first and used.
use nodenet::net::{self, ConnectOptions, Resolver, events::*};

use crate::harness::{lookup_line, undef};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end_with("hi");
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let lookup = Resolver::new(|_host, _family| {
            Ok(vec![
                std::net::Ipv4Addr::LOCALHOST.into(),
                std::net::Ipv6Addr::LOCALHOST.into(),
            ])
        });
        let c = net::connect(ConnectOptions {
            lookup: Some(lookup),
            ..(port, "example.test").into()
        });
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
        c.on(Close, move |h| {
            out!("close {h}");
            server.close();
        });
    });
    server.listen(0u16);
}
