//! Unconsumed data holds end back: the server sends `payload` and FIN; the client reads
//! nothing for 100 ms (no end, no close), then read() returns it and end and close follow.
use nodenet::net::{self, events::*};

use crate::harness::null;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end_with("payload");
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.on(End, |_| out!("end"));
        c.on(Close, move |e| {
            out!("close {e}");
            server.close();
        });
        nodenet::set_timeout(100, move || {
            out!(
                "state {} {} {} {}",
                c.readable_length(),
                null(c.readable_flowing()),
                c.destroyed(),
                c.bytes_read()
            );
            out!("read {}", null(c.read(None)));
        });
    });
    server.listen((0, "127.0.0.1"));
}
