//! destroySoon() after a write: end, finish, then close without waiting for the peer's FIN.
use nodenet::net::{self, events::*};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, move |s| {
        s.on(Data, |d| note!("srvSock", "data {d}"));
        s.on(End, |_| note!("srvSock", "end"));
        s.on(Close, move |e| {
            note!("srvSock", "close {e}");
            server.close();
        });
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.on(Connect, move |_| {
            c.write("abc");
            c.destroy_soon();
            note!(
                "client",
                "after destroySoon() {} {} {}",
                c.destroyed(),
                c.ready_state(),
                c.bytes_written()
            );
        });
        c.on(Finish, |_| note!("client", "finish"));
        c.on(End, |_| note!("client", "end"));
        c.on(Close, move |e| {
            note!("client", "close {e} {}", c.destroyed())
        });
    });
    server.listen((0, "127.0.0.1"));
}
