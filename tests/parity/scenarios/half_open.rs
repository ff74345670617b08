//! allowHalfOpen on both ends: the client ends with `x` on connect, the server stays writable
//! after its end, writes `late` 50 ms later and ends.
use nodenet::net::{self, ConnectOptions, ServerOptions, events::*};

use super::client_ends_first::watch;

pub fn scenario() {
    let server = net::create_server_with(ServerOptions {
        allow_half_open: true,
        ..ServerOptions::default()
    });
    server.on(Connection, |s| {
        watch("srvSock", s);
        s.on(End, move |_| {
            note!(
                "srvSock",
                "writable {} readable {}",
                s.writable(),
                s.readable()
            );
            nodenet::set_timeout(50, move || {
                note!("srvSock", "write {}", s.write("late"));
                s.end();
            });
        });
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect(ConnectOptions {
            allow_half_open: true,
            ..ConnectOptions::from((port, "127.0.0.1"))
        });
        watch("client", c);
        c.on(Connect, move |_| {
            c.end_with("x");
        });
        c.on(Close, move |_| {
            server.close();
        });
    });
    server.listen((0, "127.0.0.1"));
}
