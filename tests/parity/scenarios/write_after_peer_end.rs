//! The client ended first and writes inside its end handler, after the peer's FIN: EPIPE
//! "This socket has been ended by the other party", to the callback then as error.
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
        });
        c.on(Finish, |_| out!("finish"));
        c.on(End, move |_| {
            out!("end");
            let r = c.write_cb("late", |e| {
                out!(
                    "cb {} {}",
                    undef(e.as_ref().map(|e| e.code().to_string())),
                    undef(e.as_ref().map(|e| e.message().to_string()))
                )
            });
            out!("write {r}");
        });
        c.on(Error, |e| out!("error {} {}", e.code(), e.message()));
        c.on(Close, move |e| {
            out!("close {e}");
            server.close();
        });
    });
    server.listen((0, "127.0.0.1"));
}
