//! The lookup event: none for an IP literal; a custom lookup gets the family asked for (4
//! or 6) and its answer comes as lookup(null, address, family, host); with the system's
//! resolver, 'localhost' gives lookup events too.
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use nodenet::net::{self, ConnectOptions, Resolver, Server, events::*};

use crate::harness::{null, undef};

fn step(server: Server, port: u16, i: usize) {
    let lookup = || {
        Some(Resolver::new(|host, family| {
            out!("resolver {host} {family}");
            let ip: IpAddr = if family == 6 {
                Ipv6Addr::LOCALHOST.into()
            } else {
                Ipv4Addr::LOCALHOST.into()
            };
            Ok(vec![ip])
        }))
    };
    let opts = match i {
        0 => ConnectOptions::from((port, "127.0.0.1")),
        1 => (port, "::1").into(),
        2 => ConnectOptions {
            family: 4,
            lookup: lookup(),
            ..(port, "example.test").into()
        },
        3 => ConnectOptions {
            family: 6,
            lookup: lookup(),
            ..(port, "example.test").into()
        },
        4 => (port, "localhost").into(),
        _ => {
            server.close();
            return;
        }
    };
    let c = net::connect(opts);
    c.on(Lookup, move |l| {
        out!(
            "{i} lookup {} {} {} {}",
            null(l.error.map(|e| e.code().to_string())),
            undef(l.address),
            undef(l.family),
            l.host
        )
    });
    c.on(Connect, move |_| {
        out!("{i} connect {}", undef(c.remote_family()))
    });
    c.resume();
    c.on(Close, move |h| {
        out!("{i} close {h}");
        step(server, port, i + 1);
    });
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end();
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        step(server, port, 0);
    });
    server.listen(0u16);
}
