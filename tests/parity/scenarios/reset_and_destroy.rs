//! resetAndDestroy(): the peer gets ECONNRESET (read) then close(true); the local socket
//! closes with close(false) and no error.
use nodenet::net::{self, events::*};

use crate::harness::undef;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, move |s| {
        s.on(End, |_| note!("srvSock", "end"));
        s.on(Error, |e| {
            note!(
                "srvSock",
                "error {} {} {}",
                e.code(),
                undef(e.syscall()),
                e.message()
            )
        });
        s.on(Close, move |e| {
            note!("srvSock", "close {e}");
            server.close();
        });
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.on(Connect, move |_| {
            nodenet::set_timeout(20, move || {
                c.reset_and_destroy();
                note!(
                    "client",
                    "after resetAndDestroy() {} {}",
                    c.destroyed(),
                    c.ready_state()
                );
            });
        });
        c.on(Error, |e| note!("client", "error {}", e.code()));
        c.on(Close, |e| note!("client", "close {e}"));
    });
    server.listen((0, "127.0.0.1"));
}
