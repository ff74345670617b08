//! destroy() while connecting: no connect, no error; close(false) in the close phase; writes
//! queued meanwhile fail after the close listeners, the first with
//! ERR_SOCKET_CLOSED_BEFORE_CONNECTION, the next with the destroy error if there is one.
use nodenet::net::{self, Server, events::*};

use crate::harness::{code, undef};

fn attempt(
    server: Server,
    name: &'static str,
    err: Option<nodenet::Error>,
    then: impl FnOnce() + 'static,
) {
    let port = server.address().map(|a| a.port()).unwrap_or(0);
    let c = net::connect((port, "127.0.0.1"));
    c.on(Connect, move |_| out!("{name} connect"));
    c.on(Error, move |e| out!("{name} error {}", code(&e)));
    let mut then = Some(then);
    c.on(Close, move |e| {
        out!("{name} close {e} {}", c.destroyed());
        if let Some(t) = then.take() {
            nodenet::set_timeout(20, t);
        }
    });
    c.write_cb("x", move |e| {
        out!("{name} write cb 1 {}", undef(e.map(|e| code(&e))))
    });
    c.write_cb("y", move |e| {
        out!("{name} write cb 2 {}", undef(e.map(|e| code(&e))))
    });
    match err {
        Some(e) => c.destroy_with(e),
        None => c.destroy(),
    };
    out!(
        "{name} after destroy() {} {} {}",
        c.destroyed(),
        c.connecting(),
        c.ready_state()
    );
    nodenet::next_tick(move || out!("{name} next tick"));
    nodenet::set_immediate(move || out!("{name} immediate"));
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |_| out!("server connection"));
    server.on(Listening, move |_| {
        attempt(server, "plain", None, move || {
            attempt(
                server,
                "err",
                Some(nodenet::Error::other("boom")),
                move || {
                    server.close();
                },
            )
        });
    });
    server.listen((0, "127.0.0.1"));
}
