//! Local addresses of the other family, and lookups on a host with loopback only (run in a
//! network namespace of its own). A local address that is not of the destination's family
//! fails the bind with EINVAL, before any attempt (an IPv4-mapped one is IPv6). A lookup
//! for family 4 or 6 does not ask for the families the host has addresses of (Node adds
//! ADDRCONFIG only when both are wanted), so `localhost` resolves for family 4 here; for
//! family 6 the resolver's own answer (here no IPv6 name in the hosts file, and no name
//! server to ask) comes through as Node's error.
use nodenet::net::{self, ConnectOptions, Server, events::*};

use crate::harness::{error_line, null, undef};

/// Name, host, family, local address.
const CASES: [(&str, &str, u8, Option<&str>); 7] = [
    ("v4 to v6 local", "127.0.0.1", 0, Some("::1")),
    ("v6 to v4 local", "::1", 0, Some("127.0.0.1")),
    (
        "v4 to mapped local",
        "127.0.0.1",
        0,
        Some("::ffff:127.0.0.1"),
    ),
    ("localhost family 4, v6 local", "localhost", 4, Some("::1")),
    (
        "localhost family 6, v4 local",
        "localhost",
        6,
        Some("127.0.0.1"),
    ),
    ("v4 with family 6", "127.0.0.1", 6, None),
    ("mapped", "::ffff:127.0.0.1", 0, None),
];

fn next(server: Server, i: usize) {
    let Some(&(name, host, family, local)) = CASES.get(i) else {
        server.close();
        return;
    };
    let c = net::connect(ConnectOptions {
        port: 5000,
        host: host.into(),
        family,
        local_address: local.map(str::to_string),
        ..Default::default()
    });
    c.on(Lookup, move |l| {
        out!(
            "{name} lookup {} {} {}",
            null(l.error.map(|e| e.code().to_string())),
            undef(l.address),
            undef(l.family)
        )
    });
    c.on(ConnectionAttempt, move |a| {
        out!("{name} attempt {} {}", a.address, a.family)
    });
    c.on(ConnectionAttemptFailed, move |a| {
        out!(
            "{name} failed {} {}",
            a.address,
            undef(a.error.map(|e| e.code().to_string()))
        )
    });
    c.on(Connect, move |_| {
        out!(
            "{name} connect {} {} {}",
            undef(c.local_address()),
            undef(c.remote_address()),
            undef(c.remote_family())
        )
    });
    c.on(Error, move |e| out!("{name} error {}", error_line(&e)));
    c.on(Close, move |h| {
        out!("{name} close {h}");
        next(server, i + 1);
    });
    c.resume();
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |c| {
        c.end();
    });
    server.on(Listening, move |_| next(server, 0));
    server.listen((5000, "::"));
}
