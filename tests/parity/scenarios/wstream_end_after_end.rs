//! Ports of test-stream-writable-end-cb-error and test-stream2-writable (writable side):
//! end(data) on a socket already ending fails with ERR_STREAM_WRITE_AFTER_END ("write after
//! end"), destroys it at once, and every end callback waiting for `finish` gets that error
//! (no `finish`); a plain end(cb) on an ending socket only waits. A destroy(err) after a
//! write after end() changes nothing: the one error is the write's.
use nodenet::net::{self, Encoding, events::*};

use super::s3_util::{cb_err, code, serve_sink};

fn errored(s: net::Socket) -> String {
    s.errored().map_or_else(|| "null".into(), |e| code(&e))
}

fn second(port: u16, server: net::Server) {
    let d = net::connect((port, "127.0.0.1"));
    d.on(Connect, move |_| {
        d.end();
        let r = d.write_cb("x", |e| out!("d write cb {}", cb_err(&e)));
        out!("d write {r}");
        d.destroy_with(nodenet::Error::other("later"));
        out!("d errored {}", errored(d));
    });
    d.on(Finish, |_| out!("d finish"));
    d.on(Error, |e| out!("d error {} {}", code(&e), e.message()));
    d.on(Close, move |had_error| {
        out!("d close {had_error}");
        server.close();
    });
}

pub fn scenario() {
    serve_sink(|server, port| {
        let c = net::connect((port, "127.0.0.1"));
        c.on(Connect, move |_| {
            c.write_cb("w", |e| out!("c write cb {}", cb_err(&e)));
            c.end_with_cb("a", Encoding::Utf8, |e| out!("c end cb 1 {}", cb_err(&e)));
            out!(
                "c after end {} {} {}",
                c.writable_ended(),
                c.writable(),
                c.destroyed()
            );
            c.end_then(|e| out!("c end cb 2 {}", cb_err(&e)));
            out!("c after end(cb) {} {}", c.destroyed(), errored(c));
            c.end_with_cb("b", Encoding::Utf8, |e| out!("c end cb 3 {}", cb_err(&e)));
            out!(
                "c after end(b) {} {} {} {}",
                c.destroyed(),
                errored(c),
                c.writable_ended(),
                c.writable_finished()
            );
            nodenet::next_tick(|| out!("c tick"));
        });
        c.on(Finish, |_| out!("c finish"));
        c.on(Error, |e| out!("c error {} {}", code(&e), e.message()));
        c.on(Close, move |had_error| {
            out!("c close {had_error}");
            second(port, server);
        });
    });
}
