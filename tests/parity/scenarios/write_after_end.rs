//! write() after end(): false, the socket is destroyed at once; the callback then error get
//! ERR_STREAM_WRITE_AFTER_END, then close(true).
use nodenet::net::{self, events::*};

use crate::harness::undef;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.resume();
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.on(Connect, move |_| {
            c.end();
            let r = c.write_cb("x", |e| {
                out!(
                    "cb {} {}",
                    undef(e.as_ref().map(|e| e.code().to_string())),
                    undef(e.as_ref().map(|e| e.message().to_string()))
                )
            });
            out!("write {r}");
            out!(
                "writableEnded {} destroyed {}",
                c.writable_ended(),
                c.destroyed()
            );
        });
        c.on(Ready, move |_| out!("ready {}", c.ready_state()));
        c.on(Error, |e| out!("error {} {}", e.code(), e.message()));
        c.on(Close, move |e| {
            out!("close {e}");
            server.close();
        });
    });
    server.listen((0, "127.0.0.1"));
}
