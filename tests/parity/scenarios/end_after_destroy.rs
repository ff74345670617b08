//! A known difference, found by the differential test (fuzz_socket, seed 1 case 6):
//! end() on a socket destroyed without an error (close not yet emitted) still marks
//! Node's stream as ending, and its callback is kept for a `finish` that never comes: it
//! is never called; a write after it fails with ERR_STREAM_WRITE_AFTER_END. nodenet calls
//! the end callback with ERR_STREAM_DESTROYED and fails the write with
//! ERR_STREAM_DESTROYED.
use nodenet::net::{self, events::*};

use super::s3_util::cb_err;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.resume();
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.on(Connect, move |_| {
            c.destroy();
            c.end_then(|e| out!("end cb {}", cb_err(&e)));
            out!("writableEnded {}", c.writable_ended());
            c.write_cb("x", |e| out!("write cb {}", cb_err(&e)));
        });
        c.on(Close, move |h| {
            out!("close {h}");
            nodenet::set_timeout(10, move || {
                server.close();
            });
        });
    });
    server.listen((0, "127.0.0.1"));
}
