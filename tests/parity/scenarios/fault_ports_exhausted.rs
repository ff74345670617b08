//! No ephemeral port left (run in a network namespace of its own with two of them, 40000
//! and 40001, both taken by two connections to one server):
//! - a third plain connect fails at once in connect() with EADDRNOTAVAIL: the error comes
//!   on a later tick, with no failed attempt reported, and its message names the local
//!   address the socket had (0.0.0.0:0);
//! - with localAddress (and no port), the bind finds no port; libuv keeps that error for
//!   the connect, which fails on the loop with EADDRINUSE as a failed attempt;
//! - with localPort 40000 the bind itself fails: a `bind` error;
//!
//! then the rest close.
use std::cell::RefCell;

use nodenet::net::{self, ConnectOptions, Server, Socket, events::*};

use crate::harness::undef;

const PORT: u16 = 5000;

thread_local! {
    static CLIENTS: RefCell<Vec<Socket>> = const { RefCell::new(Vec::new()) };
}

/// The failing connects' local options: none, an address, an address and a taken port.
fn failing(k: usize) -> Option<(Option<&'static str>, Option<u16>)> {
    [
        (None, None),
        (Some("127.0.0.1"), None),
        (Some("127.0.0.1"), Some(40000)),
    ]
    .get(k)
    .copied()
}

fn connect(i: usize, local: (Option<&str>, Option<u16>)) -> Socket {
    let c = net::connect(ConnectOptions {
        port: PORT,
        host: "127.0.0.1".into(),
        local_address: local.0.map(str::to_string),
        local_port: local.1,
        ..Default::default()
    });
    CLIENTS.with(|v| v.borrow_mut().push(c));
    out!("connect() {i} {}", c.connecting());
    nodenet::set_immediate(move || out!("immediate {i}"));
    c.on(ConnectionAttempt, move |a| {
        out!(
            "connectionAttempt {i} {} {} {}",
            a.address,
            a.port == PORT,
            a.family
        )
    });
    c.on(ConnectionAttemptFailed, move |a| {
        let code = a.error.as_ref().map(|e| e.code().to_string());
        out!(
            "connectionAttemptFailed {i} {} {} {} {}",
            a.address,
            a.port == PORT,
            a.family,
            undef(code)
        )
    });
    c.on(Error, move |e| {
        out!(
            "error {i} {} {} {} {} {}",
            e.code(),
            undef(e.errno()),
            undef(e.syscall()),
            undef(e.address()),
            undef(e.port())
        );
        out!("message {i} {}", e.message());
        out!("destroyed {} connecting {}", c.destroyed(), c.connecting());
    });
    out!("after connect() {i}");
    c
}

fn fail(server: Server, k: usize) {
    let Some(local) = failing(k) else {
        for c in CLIENTS.with(|v| v.borrow().clone()) {
            c.destroy();
        }
        server.close_cb(|_| note!("server", "close"));
        return;
    };
    let c = connect(2 + k, local);
    c.on(Close, move |e| {
        out!("close {} {e}", 2 + k);
        fail(server, k + 1);
    });
}

pub fn scenario() {
    CLIENTS.with(|v| v.borrow_mut().clear());
    let server = net::create_server();
    server.on(Connection, |s| {
        note!("server", "connection");
        s.on(Close, |e| note!("server", "socket close {e}"));
    });
    server.on(Listening, move |_| {
        let first = connect(0, (None, None));
        first.on(Connect, move |_| {
            out!("connect 0");
            let second = connect(1, (None, None));
            second.on(Connect, move |_| {
                out!("connect 1");
                fail(server, 0);
            });
            second.on(Close, |e| note!("client 1", "close {e}"));
        });
        first.on(Close, |e| note!("client 0", "close {e}"));
    });
    server.listen((PORT, "127.0.0.1"));
}
