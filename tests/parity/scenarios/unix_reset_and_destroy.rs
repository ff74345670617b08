//! resetAndDestroy() on Unix sockets, which have no reset: Node throws
//! ERR_INVALID_HANDLE_TYPE (a TypeError) for a client still connecting, for it once
//! connected and for the accepted socket, and leaves each as it was (the connection goes
//! on: the client's write still arrives); `try_reset_and_destroy` returns it. Then an
//! uncaught one: the process dies with it (nodenet: `reset_and_destroy` destroys the
//! socket with the error, which has no listener, so `run` returns it).
use nodenet::net::{self, ConnectOptions, ListenOptions, Socket, events::*};

use crate::harness::{DirGuard, fresh_dir};

fn attempt(who: &str, s: Socket) {
    match s.try_reset_and_destroy() {
        Ok(_) => out!("{who} returned"),
        Err(e) => out!(
            "{who} threw {} {} {} destroyed {}",
            e.code(),
            e.name(),
            e.message(),
            s.destroyed()
        ),
    }
}

pub fn scenario() {
    let Some(dir) = fresh_dir("unix-reset") else {
        return;
    };
    let p = dir.join("s.sock").to_string_lossy().into_owned();
    let server = net::create_server();
    let guard = DirGuard(dir);
    server.on(Connection, move |s: Socket| {
        let _ = &guard;
        out!("connection");
        attempt("accepted", s);
        s.on(Data, move |d| {
            out!("accepted data {}", d.len());
            // Uncaught: the loop stops here.
            s.reset_and_destroy();
        });
    });
    let p2 = p.clone();
    server.on(Listening, move |_| {
        let c = net::connect(ConnectOptions::path(p2.clone()));
        attempt("connecting", c);
        c.on(Connect, move |_| {
            out!("connect");
            attempt("connected", c);
            c.write("hi");
        });
        c.on(Close, |h| out!("client close {h}"));
    });
    server.listen(ListenOptions::path(p));
}
