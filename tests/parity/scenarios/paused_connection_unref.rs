//! A paused client and an unref'd server and accepted socket (test-net-connect-paused-
//! connection): with an unref'd timer as the only other thing, the process ends once the
//! client is connected and paused: the client's connection, its pause, and nothing later.
use nodenet::net::{self, events::*};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |conn| {
        conn.unref();
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1")).pause();
        c.on(Connect, move |_| {
            out!("client connect, paused {}", c.is_paused())
        });
        nodenet::set_timeout(1000, || out!("timer: should not run")).unref();
    });
    server.listen((0, "127.0.0.1"));
    server.unref();
}
