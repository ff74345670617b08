//! A normal lifecycle, the server ending first: `end("bye")` in the connection listener.
use nodenet::net::{self, events::*};

use super::client_ends_first::watch;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        out!("server connection");
        watch("srvSock", s);
        s.end_with("bye");
        note!("srvSock", "after end() {}", s.ready_state());
    });
    server.on(Close, |_| out!("server close"));
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        watch("client", c);
        c.on(Close, move |_| {
            server.close();
        });
    });
    server.listen((0, "127.0.0.1"));
}
