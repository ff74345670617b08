//! Happy eyeballs: a resolver answering [::1, 127.0.0.1] for a name, a server on 127.0.0.1
//! only: lookup events for both, a refused ::1 attempt, then 127.0.0.1 connects.
use std::net::IpAddr;

use nodenet::net::{self, ConnectOptions, Resolver, events::*};

use crate::harness::{null, undef};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end_with("hi");
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let lookup = Resolver::new(|_host, _family| {
            Ok(vec![
                "::1".parse::<IpAddr>().unwrap(),
                "127.0.0.1".parse().unwrap(),
            ])
        });
        let c = net::connect(ConnectOptions {
            port,
            host: "example.test".into(),
            lookup: Some(lookup),
            ..Default::default()
        });
        c.on(Lookup, |l| {
            out!(
                "lookup {} {} {} {}",
                null(l.error.map(|e| e.code().to_string())),
                undef(l.address),
                undef(l.family),
                l.host
            )
        });
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
