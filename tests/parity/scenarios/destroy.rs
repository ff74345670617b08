//! destroy() 20 ms after connect: no end/finish on the client, close(false); the server's
//! socket sees an orderly FIN.
use nodenet::net::{self, Socket, events::*};

use crate::harness::code;

fn watch(name: &'static str, s: Socket) {
    s.on(Connect, move |_| note!(name, "connect {}", s.ready_state()));
    s.on(Ready, move |_| note!(name, "ready {}", s.ready_state()));
    s.on(End, move |_| note!(name, "end {}", s.ready_state()));
    s.on(Finish, move |_| note!(name, "finish {}", s.ready_state()));
    s.on(Data, move |d| note!(name, "data {d}"));
    s.on(Error, move |e| note!(name, "error {}", code(&e)));
    s.on(Close, move |e| {
        note!(name, "close {e} {} {}", s.ready_state(), s.destroyed())
    });
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| watch("srvSock", s));
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        watch("client", c);
        c.on(Connect, move |_| {
            nodenet::set_timeout(20, move || {
                c.destroy();
                note!(
                    "client",
                    "after destroy() {} {} {}",
                    c.destroyed(),
                    c.ready_state(),
                    c.bytes_written()
                );
                c.destroy();
            });
        });
        c.on(Close, move |_| {
            server.close_cb(|_| out!("server closed"));
        });
    });
    server.listen((0, "127.0.0.1"));
}
