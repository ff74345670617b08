//! end('early') while connecting: legal; the data and FIN follow the connect.
use nodenet::net::{self, events::*};

use super::client_ends_first::watch;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| watch("srvSock", s));
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.end_with("early");
        out!("after end() {} {}", c.writable_ended(), c.ready_state());
        watch("client", c);
        c.on(Close, move |_| {
            server.close();
        });
    });
    server.listen((0, "127.0.0.1"));
}
