//! The seed's first server (`hello` on every connection, the socket never read), with a
//! client that connects and ends: the unread server socket still sees the FIN and closes.
use nodenet::net::{self, events::*};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |_socket| out!("hello"));
    server.on(Close, |_| out!("server close"));
    server.on(Listening, move |_| {
        out!("listening");
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.on(Connect, move |_| {
            note!("client", "connect");
            c.end();
        });
        c.on(End, |_| note!("client", "end"));
        c.on(Finish, |_| note!("client", "finish"));
        c.on(Close, move |e| {
            note!("client", "close {e}");
            server.close();
        });
    });
    server.listen((0, "127.0.0.1"));
}
