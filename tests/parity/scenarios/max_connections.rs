//! maxConnections = 1: a second client is dropped (a drop event, no connection), and sees a
//! connect then an orderly end; once the first is gone a third is accepted.
use nodenet::net::{self, events::*};

use crate::harness::undef;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        out!("connection");
        s.on(Close, |_| note!("srvSock", "close"));
    });
    server.set_max_connections(Some(1));
    server.on(Drop, |d| {
        out!(
            "drop {} {} {}",
            undef(d.local_address),
            undef(d.remote_address),
            undef(d.remote_family)
        )
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let a = net::connect((port, "127.0.0.1"));
        a.once(Connect, move |_| {
            out!("a connect");
            let b = net::connect((port, "127.0.0.1"));
            b.on(Connect, |_| note!("b", "connect"));
            b.on(End, |_| note!("b", "end"));
            b.on(Close, move |e| {
                note!("b", "close {e}");
                server.get_connections(move |r| {
                    out!("getConnections null {}", r.unwrap_or(99));
                    a.destroy();
                });
            });
        });
        a.on(Close, move |_| {
            out!("a close");
            nodenet::set_timeout(20, move || {
                let c = net::connect((port, "127.0.0.1"));
                c.once(Connect, move |_| {
                    out!("c connect");
                    c.end();
                });
                c.on(Close, move |_| {
                    server.close();
                });
            });
        });
    });
    server.listen((0, "127.0.0.1"));
}
