//! A server closes itself on its first connection and writes 64 MiB to it in one call,
//! while the client destroys its socket as soon as it connects: the write is queued
//! (write() returns false), then fails with one error (ECONNRESET or EPIPE, as the
//! kernel's timing has it) and close(true); nothing is left and the process exits
//! (test-net-GH-5504).
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, events::*};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, move |s| {
        server.close_cb(|_| note!("server", "close"));
        let errors = Rc::new(Cell::new(0));
        let e1 = errors.clone();
        s.on(Error, move |e| {
            e1.set(e1.get() + 1);
            note!(
                "srvSock",
                "error {}",
                ["ECONNRESET", "EPIPE"].contains(&e.code())
            );
        });
        s.on(Close, move |h| {
            note!("srvSock", "close {h} errors {}", errors.get())
        });
        let big = vec![35u8; 64 << 20];
        note!("srvSock", "write returned {}", s.write(big));
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.on(Connect, move |_| {
            c.destroy();
            note!("client", "destroyed on connect {}", c.destroyed());
        });
        c.on(Close, |h| note!("client", "close {h}"));
    });
    server.listen((0, "127.0.0.1"));
}
