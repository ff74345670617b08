//! Happy eyeballs with a local port whose bind fails for some addresses. Node binds each
//! attempt's socket before the attempt: a failed bind emits no connectionAttempt and no
//! connectionAttemptFailed, its `bind` error is kept for the aggregate error, and the next
//! address is tried at once (a next-tick queued by the last `lookup` listener runs after
//! the next attempt's connectionAttempt).
//! 1. The local port is held on ::1 (ipv6Only): ::1's bind fails, 127.0.0.1 connects from
//!    that port.
//! 2. The local port is held on 0.0.0.0: both binds fail (IPv6's too: [::] is dual-stack),
//!    IPv6 first, then IPv4: one aggregate error of two `bind EADDRINUSE`.
//! 3. As 2 with IPv4 answered first.
//!
//! Before those, the same bind failing on a plain connect, to an IP address (connected on
//! next tick) and through a lookup answering inside connect(): the socket is destroyed in
//! the tick that binds, so a next-tick queued after connect() finds it destroyed.
use std::net::IpAddr;

use nodenet::net::{self, ConnectOptions, ListenOptions, Resolver, events::*};

fn resolver(answers: &'static [&'static str]) -> Resolver {
    Resolver::with_callback(move |_host, _family, callback| {
        nodenet::set_immediate(move || {
            callback.answer(Ok(answers
                .iter()
                .filter_map(|a| a.parse::<IpAddr>().ok())
                .collect()))
        });
    })
}

fn connect(
    tag: &'static str,
    port: u16,
    local: u16,
    answers: &'static [&'static str],
    next: impl FnOnce() + 'static,
) {
    let name = move |m: &str| {
        m.replace(&format!(":{local}"), ":L")
            .replace(&format!(":{port}"), ":P")
    };
    let c = net::connect(ConnectOptions {
        lookup: Some(resolver(answers)),
        local_port: Some(local),
        ..(port, "example.test").into()
    });
    c.on(Lookup, move |l| {
        let a = l.address.unwrap_or_default();
        out!("{tag} lookup {a} {}", l.family.unwrap_or(0));
        nodenet::next_tick(move || out!("{tag} tick after lookup {a}"));
    });
    c.on(ConnectionAttempt, move |a| {
        out!("{tag} attempt {} {}", a.address, a.family)
    });
    c.on(ConnectionAttemptFailed, move |a| {
        let (code, msg) = a
            .error
            .map(|e| (e.code().to_string(), name(e.message())))
            .unwrap_or_default();
        out!("{tag} failed {} {code} {msg}", a.address)
    });
    c.on(Connect, move |_| {
        out!(
            "{tag} connect {} {}",
            c.remote_address().unwrap_or_default(),
            c.local_port() == Some(local)
        )
    });
    c.on(Data, move |d| out!("{tag} data {d}"));
    c.on(Error, move |e| {
        out!("{tag} error {} {} {:?}", e.code(), e.name(), e.message());
        for x in e.errors() {
            out!(
                "{tag}   {} {} {} {} {}",
                x.code(),
                x.syscall().unwrap_or_default(),
                x.address().unwrap_or_default(),
                x.port() == Some(local),
                name(x.message())
            );
        }
    });
    let mut next = Some(next);
    c.on(Close, move |h| {
        out!("{tag} close {h}");
        if let Some(n) = next.take() {
            n();
        }
    });
}

fn port_of(s: net::Server) -> u16 {
    s.address().map(|a| a.port()).unwrap_or(0)
}

fn single(port: u16, local: u16, next: impl FnOnce() + 'static) {
    let bind_error = move |tag: &'static str| {
        move |e: nodenet::Error| {
            out!(
                "{tag} error {} {} {} {}",
                e.code(),
                e.syscall().unwrap_or("undefined"),
                e.address().unwrap_or("undefined"),
                e.port() == Some(local)
            )
        }
    };
    let c = net::connect(ConnectOptions {
        local_port: Some(local),
        ..(port, "127.0.0.1").into()
    });
    nodenet::next_tick(move || out!("ip tick {} {}", c.destroyed(), c.connecting()));
    nodenet::set_immediate(move || out!("ip immediate {}", c.destroyed()));
    c.on(Error, bind_error("ip"));
    c.on(Close, |h| out!("ip close {h}"));
    let d = net::connect(ConnectOptions {
        local_port: Some(local),
        lookup: Some(Resolver::with_callback(|_host, _family, callback| {
            callback.answer(Ok(vec![std::net::Ipv4Addr::LOCALHOST.into()]))
        })),
        ..(port, "example.test").into()
    });
    nodenet::next_tick(move || out!("sync lookup tick {} {}", d.destroyed(), d.connecting()));
    d.on(Error, bind_error("sync lookup"));
    let mut next = Some(next);
    d.on(Close, move |h| {
        out!("sync lookup close {h}");
        if let Some(n) = next.take() {
            n();
        }
    });
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end_with("hi");
    });
    server.once(Listening, move |_| {
        let port = port_of(server);
        let held = net::create_server();
        held.once(Listening, move |_| {
            single(port, port_of(held), move || {
                held.close();
                eyeballs(server, port);
            })
        });
        held.listen((0, "0.0.0.0"));
    });
    server.listen((0, "127.0.0.1"));
}

fn eyeballs(server: net::Server, port: u16) {
    let held6 = net::create_server();
    held6.once(Listening, move |_| {
        let l6 = port_of(held6);
        connect("one", port, l6, &["::1", "127.0.0.1"], move || {
            held6.close();
            let held4 = net::create_server();
            held4.once(Listening, move |_| {
                let l4 = port_of(held4);
                connect("two", port, l4, &["::1", "127.0.0.1"], move || {
                    connect("three", port, l4, &["127.0.0.1", "::1"], move || {
                        held4.close();
                        server.close();
                    });
                });
            });
            held4.listen((0, "0.0.0.0"));
        });
    });
    held6.listen(ListenOptions {
        host: Some("::1".into()),
        ipv6_only: true,
        ..Default::default()
    });
}
