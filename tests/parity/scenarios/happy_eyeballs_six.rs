//! Happy eyeballs with six distinct addresses. The resolver answers, in this order,
//! ::1, ::ffff:127.0.0.2, ::1, ::ffff:127.0.0.3, 127.0.0.2, 127.0.0.3, 127.0.0.2, 127.0.0.1:
//! one `lookup` event per answer, in the resolver's order, repeats included; the repeats
//! are dropped before connecting, and the rest are tried alternating families, starting
//! with the first answer's (IPv6). The attempted-addresses list grows by one
//! `address:port` per attempt.
//! 1. A server on 127.0.0.1 only: five refused attempts, then the sixth connects.
//! 2. Nothing listening: six refusals, one aggregate error holding them in attempt order.
//! 3. The resolver answers 127.0.0.1 twice: one distinct address is a plain connect (its
//!    attempt event, no attempted-addresses list).
//! 4. As 1, with a block list holding ::1, 127.0.0.3 and 127.0.0.1: a blocked address gets
//!    no attempt, only connectionAttemptFailed (ERR_IP_BLOCKED), and is not listed; the
//!    last one blocked ends with the aggregate error.
use std::net::IpAddr;
use std::rc::Rc;

use nodenet::net::{self, BlockList, ConnectOptions, Family, Resolver, Server, Socket, events::*};

use crate::harness::{REFUSED_PORT, null, portless, undef};

const ANSWERS: [&str; 8] = [
    "::1",
    "::ffff:127.0.0.2",
    "::1",
    "::ffff:127.0.0.3",
    "127.0.0.2",
    "127.0.0.3",
    "127.0.0.2",
    "127.0.0.1",
];

fn connect(port: u16, answers: &'static [&'static str]) -> Socket {
    connect_with(port, answers, None)
}

fn connect_with(
    port: u16,
    answers: &'static [&'static str],
    block_list: Option<Rc<BlockList>>,
) -> Socket {
    let lookup = Resolver::new(move |_host, _family| {
        Ok(answers
            .iter()
            .filter_map(|a| a.parse::<IpAddr>().ok())
            .collect())
    });
    net::connect(ConnectOptions {
        lookup: Some(lookup),
        block_list,
        ..(port, "example.test").into()
    })
}

/// The attempted-addresses list as `[a,b,..]` (ports replaced with P), or `undefined`.
pub(super) fn attempted(c: Socket, port: u16) -> String {
    match c.auto_select_family_attempted_addresses() {
        None => "undefined".into(),
        Some(a) => {
            let a: Vec<String> = a.iter().map(|x| portless(x, port)).collect();
            format!("[{}]", a.join(","))
        }
    }
}

fn watch(tag: &'static str, c: Socket, port: u16) {
    c.on(Lookup, move |l| {
        out!(
            "{tag} lookup {} {} {} {}",
            null(l.error.map(|e| e.code().to_string())),
            undef(l.address),
            undef(l.family),
            l.host
        )
    });
    c.on(ConnectionAttempt, move |a| {
        out!(
            "{tag} attempt {} {} {} {}",
            a.address,
            a.port == port,
            a.family,
            attempted(c, port)
        )
    });
    watch_failures(tag, c, port);
}

/// The connect's error, as `{tag} error CODE NAME [ATTEMPTED]`, then the messages of the
/// errors it aggregates (the port in each replaced with P).
pub(super) fn aggregate(tag: &str, c: Socket, port: u16, e: &nodenet::Error) {
    out!(
        "{tag} error {} {} {}",
        e.code(),
        e.name(),
        attempted(c, port)
    );
    let all: Vec<String> = e
        .errors()
        .iter()
        .map(|x| portless(x.message(), port))
        .collect();
    out!("{tag} errors {}", all.join(" | "));
}

/// The failed and timed-out attempts, as `{tag} failed ADDR FAMILY CODE MESSAGE` and
/// `{tag} timeout ADDR FAMILY` (the port in a message replaced with P).
pub(super) fn watch_failures(tag: &'static str, c: Socket, port: u16) {
    c.on(ConnectionAttemptFailed, move |a| {
        let (code, msg) = match a.error {
            Some(e) => (e.code().to_string(), portless(e.message(), port)),
            None => ("undefined".into(), "undefined".into()),
        };
        out!("{tag} failed {} {} {code} {msg}", a.address, a.family)
    });
    c.on(ConnectionAttemptTimeout, move |a| {
        out!("{tag} timeout {} {}", a.address, a.family)
    });
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end_with("hi");
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = connect(port, &ANSWERS);
        out!("one before lookup {}", attempted(c, port));
        watch("one", c, port);
        c.on(Connect, move |_| {
            out!(
                "one connect {} {} {}",
                undef(c.remote_address()),
                undef(c.remote_family()),
                attempted(c, port)
            )
        });
        c.on(Data, |d| out!("one data {d}"));
        c.on(Close, move |h| {
            out!("one close {h}");
            two(server, port);
        });
    });
    server.listen((0, "127.0.0.1"));
}

fn two(server: Server, server_port: u16) {
    let port = REFUSED_PORT;
    let c = connect(port, &ANSWERS);
    watch("two", c, port);
    c.on(Error, move |e| aggregate("two", c, port, &e));
    c.on(Close, move |h| {
        out!("two close {h}");
        three(server, server_port);
    });
}

fn three(server: Server, port: u16) {
    let c = connect(port, &["127.0.0.1", "127.0.0.1"]);
    watch("three", c, port);
    c.on(Connect, move |_| {
        out!(
            "three connect {} {}",
            undef(c.remote_address()),
            attempted(c, port)
        )
    });
    c.on(Data, |d| out!("three data {d}"));
    c.on(Close, move |h| {
        out!("three close {h}");
        four(server, port);
    });
}

fn four(server: Server, port: u16) {
    let mut bl = BlockList::new();
    for (a, f) in [
        ("::1", Family::Ipv6),
        ("127.0.0.3", Family::Ipv4),
        ("127.0.0.1", Family::Ipv4),
    ] {
        if let Err(e) = bl.add_address(a, f) {
            out!("four add_address {a}: {e}");
        }
    }
    let c = connect_with(port, &ANSWERS, Some(Rc::new(bl)));
    watch("four", c, port);
    c.on(Error, move |e| aggregate("four", c, port, &e));
    c.on(Close, move |h| {
        out!("four close {h}");
        server.close();
    });
}
