//! destroy(err) 20 ms after connect: error on next tick, then close(true); destroying again
//! inside the error listener changes nothing.
use nodenet::net::{self, Socket, events::*};

use crate::harness::code;

fn watch(name: &'static str, s: Socket) {
    s.on(Connect, move |_| note!(name, "connect {}", s.ready_state()));
    s.on(Ready, move |_| note!(name, "ready {}", s.ready_state()));
    s.on(End, move |_| note!(name, "end {}", s.ready_state()));
    s.on(Finish, move |_| note!(name, "finish {}", s.ready_state()));
    s.on(Error, move |e| note!(name, "error {}", code(&e)));
    s.on(Close, move |e| note!(name, "close {e} {}", s.ready_state()));
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| watch("srvSock", s));
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        watch("client", c);
        c.on(Error, move |_| {
            c.destroy();
        });
        c.on(Connect, move |_| {
            nodenet::set_timeout(20, move || {
                c.destroy_with(nodenet::Error::other("boom"));
                note!(
                    "client",
                    "after destroy(err) {} {}",
                    c.destroyed(),
                    c.ready_state()
                );
                nodenet::next_tick(|| note!("client", "next tick"));
            });
        });
        c.on(Close, move |_| {
            server.close_cb(|_| out!("server closed"));
        });
    });
    server.listen((0, "127.0.0.1"));
}
