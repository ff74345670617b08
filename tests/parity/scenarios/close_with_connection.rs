//! server.close() while a connection is open: no new connections (ECONNREFUSED), close comes
//! once the accepted socket is destroyed; getConnections counts it meanwhile.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, events::*};

use crate::harness::{null, undef};

pub fn scenario() {
    let port = Rc::new(Cell::new(0u16));
    let server = net::create_server();
    let p = port.clone();
    server.on(Connection, move |s| {
        out!("server connection");
        server.close_cb(|err| {
            out!(
                "close callback {}",
                undef(err.map(|e| e.code().to_string()))
            )
        });
        out!(
            "after close() {} {}",
            server.listening(),
            null(server.address())
        );
        server.get_connections(|r| match r {
            Ok(n) => out!("getConnections null {n}"),
            Err(e) => out!("getConnections {} undefined", e.code()),
        });
        s.on(End, |_| note!("srvSock", "end"));
        s.on(Finish, |_| note!("srvSock", "finish"));
        s.on(Close, |e| note!("srvSock", "close {e}"));
        let port = p.get();
        nodenet::set_timeout(20, move || {
            let late = net::connect((port, "127.0.0.1"));
            late.on(Error, |e| out!("late client error {}", e.code()));
            late.on(Close, move |_| {
                out!("ending srvSock");
                s.end();
            });
        });
    });
    server.on(Close, |_| out!("server close"));
    server.on(Listening, move |_| {
        port.set(server.address().map(|a| a.port()).unwrap_or(0));
        let c = net::connect((port.get(), "127.0.0.1"));
        c.on(Connect, |_| note!("client", "connect"));
        c.on(End, |_| note!("client", "end"));
        c.on(Finish, |_| note!("client", "finish"));
        c.on(Close, |e| note!("client", "close {e}"));
    });
    server.listen((0, "127.0.0.1"));
}
