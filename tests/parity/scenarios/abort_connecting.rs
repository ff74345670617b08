//! A client whose signal aborts while it connects is destroyed at once: 'error' AbortError
//! (code ABORT_ERR, its cause the signal's reason) on next tick, then 'close' true in the
//! close phase; no connect is attempted. Made by net.connect({ signal }), then by
//! new net.Socket({ signal }) and connect(), then by net.connect to a host name (aborted
//! while its lookup runs: no 'lookup' event after it).
use nodenet::AbortController;
use nodenet::net::{self, ConnectOptions, Socket, SocketOptions, events::*};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.destroy();
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        one(port, "connect", move || {
            one(port, "ctor", move || {
                one(port, "lookup", move || {
                    server.close_cb(|_| out!("server closed"));
                })
            })
        });
    });
    server.listen((0, "127.0.0.1"));
}

fn one(port: u16, how: &'static str, next: impl FnOnce() + 'static) {
    let ac = AbortController::new();
    let c = if how == "connect" {
        net::connect(ConnectOptions::from((port, "127.0.0.1")).signal(ac.signal()))
    } else if how == "lookup" {
        net::connect(ConnectOptions::from((port, "localhost")).signal(ac.signal()))
    } else {
        let c = Socket::new(SocketOptions {
            signal: Some(ac.signal()),
            ..Default::default()
        });
        out!("{how} made {}", c.destroyed());
        c.connect((port, "127.0.0.1"))
    };
    out!("{how} connecting {} {}", c.connecting(), c.destroyed());
    c.on(Lookup, move |_| out!("{how} lookup"));
    c.on(Connect, move |_| out!("{how} connect"));
    c.on(Ready, move |_| out!("{how} ready"));
    c.on(ConnectionAttempt, move |_| out!("{how} connectionAttempt"));
    c.on(End, move |_| out!("{how} end"));
    c.on(Finish, move |_| out!("{how} finish"));
    c.on(Error, move |e| {
        let cause = e
            .cause()
            .cloned()
            .unwrap_or_else(|| nodenet::Error::other(""));
        out!(
            "{how} error {} {} {} / {} {} {}",
            e.code(),
            e.name(),
            e.message(),
            cause.name(),
            cause.message(),
            c.destroyed()
        );
    });
    let next = std::cell::Cell::new(Some(next));
    c.on(Close, move |h| {
        out!("{how} close {h} {}", c.ready_state());
        if let Some(next) = next.take() {
            nodenet::set_timeout(5, next);
        }
    });
    ac.abort();
    out!(
        "{how} aborted {} {} {}",
        c.destroyed(),
        c.connecting(),
        c.ready_state()
    );
    nodenet::next_tick(move || {
        out!("{how} tick");
        nodenet::next_tick(move || out!("{how} tick in tick"));
    });
    nodenet::set_immediate(move || out!("{how} immediate"));
}
