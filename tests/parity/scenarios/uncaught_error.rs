//! An error with no listener ends the run as an uncaught exception: destroy(err) on an
//! accepted socket that has no error listener.
use nodenet::net::{self, events::*};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        out!("connection");
        s.destroy_with(nodenet::Error::other("boom"));
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.on(Error, |e| out!("client error {}", e.code()));
    });
    server.listen((0, "127.0.0.1"));
    nodenet::set_timeout(2000, || out!("never"));
}
