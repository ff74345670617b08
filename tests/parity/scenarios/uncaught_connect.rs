//! ECONNREFUSED with no error listener is an uncaught exception; close comes too late to run.
use nodenet::net::{self, events::*};

pub fn scenario() {
    let server = net::create_server();
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        server.close_cb(move |_| {
            let c = net::connect((port, "127.0.0.1"));
            c.on(Close, |_| out!("close (never)"));
        });
    });
    server.listen((0, "127.0.0.1"));
}
