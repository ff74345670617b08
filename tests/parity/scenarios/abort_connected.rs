//! Aborting the signal of a connected client, with a reason: 'error' AbortError whose cause
//! is the reason, on next tick, then 'close' true in the close phase; the server's socket
//! sees the peer go. Aborting again after the close does nothing.
use nodenet::net::{self, ConnectOptions, events::*};
use nodenet::{AbortController, Error as NodeError};

use crate::harness::code;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, move |s| {
        s.on(End, |_| note!("srvSock", "end"));
        s.on(Error, |e| note!("srvSock", "error {}", code(&e)));
        s.on(Close, move |h| {
            note!("srvSock", "close {h}");
            server.close();
        });
    });
    server.on(Listening, move |_| {
        let ac = AbortController::new();
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect(ConnectOptions::from((port, "127.0.0.1")).signal(ac.signal()));
        let ac1 = ac.clone();
        c.on(Connect, move |_| {
            out!("connect {}", c.ready_state());
            let ac = ac1.clone();
            nodenet::set_timeout(10, move || {
                ac.abort_with(NodeError::other("why"));
                out!("aborted {} {}", c.destroyed(), c.ready_state());
                nodenet::next_tick(|| out!("tick"));
                nodenet::set_immediate(|| out!("immediate"));
            });
        });
        c.on(Error, move |e| {
            let cause = e.cause().cloned().unwrap_or_else(|| NodeError::other(""));
            out!(
                "error {} {} {} / {} {} {}",
                e.code(),
                e.name(),
                e.message(),
                cause.name(),
                cause.message(),
                c.destroyed()
            );
        });
        c.on(Close, move |h| {
            out!("close {h} {}", c.ready_state());
            ac.abort_with(NodeError::other("again"));
            let reason = ac.signal().reason().map(|r| r.message().to_string());
            out!("reason kept {}", reason.unwrap_or_default());
        });
    });
    server.listen((0, "127.0.0.1"));
}
