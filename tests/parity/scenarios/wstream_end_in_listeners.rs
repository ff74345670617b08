//! Ports of test-stream-writable-destroy (writable side), on sockets: end(cb) called from
//! a `finish` listener after a destroy() gets ERR_STREAM_ALREADY_FINISHED, on a later tick;
//! from an `error` listener after destroy(err) and a second destroy(err2), it gets
//! ERR_STREAM_DESTROYED on a later tick, with no second error and `errored` the first. A
//! destroy(err) from a write's callback, with end callbacks waiting for `finish`: they get
//! that error, then `error`, then `close`, and no `finish`.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, events::*};

use super::s3_util::{cb_err, code, serve_sink};

fn errored(s: net::Socket) -> String {
    s.errored().map_or_else(|| "null".into(), |e| code(&e))
}

fn third(port: u16, server: net::Server) {
    let c = net::connect((port, "127.0.0.1"));
    c.on(Connect, move |_| {
        c.write_cb("w", move |e| {
            out!("c write cb {}", cb_err(&e));
            c.destroy_with(nodenet::Error::other("from write cb"));
            out!("c destroyed {} {}", c.destroyed(), c.writable_finished());
        });
        c.end_then(|e| out!("c end cb 1 {}", cb_err(&e)));
        c.end_then(|e| out!("c end cb 2 {}", cb_err(&e)));
        nodenet::next_tick(|| out!("c tick"));
    });
    c.on(Finish, |_| out!("c finish"));
    c.on(Error, |e| out!("c error {}", code(&e)));
    c.on(Close, move |had_error| {
        out!("c close {had_error}");
        server.close();
    });
}

fn second(port: u16, server: net::Server) {
    let b = net::connect((port, "127.0.0.1"));
    b.on(Connect, move |_| {
        b.destroy_with(nodenet::Error::other("first"));
    });
    b.on(Error, move |e| {
        out!("b error {}", code(&e));
        b.destroy_with(nodenet::Error::other("second"));
        let ticked = Rc::new(Cell::new(false));
        let t = ticked.clone();
        b.end_then(move |err| out!("b end cb {} {}", cb_err(&err), t.get()));
        ticked.set(true);
        out!("b errored {}", errored(b));
    });
    b.on(Close, move |had_error| {
        out!("b close {had_error} {}", errored(b));
        third(port, server);
    });
}

pub fn scenario() {
    serve_sink(|server, port| {
        let a = net::connect((port, "127.0.0.1"));
        a.on(Connect, move |_| {
            a.end_with("x");
        });
        a.on(Finish, move |_| {
            a.destroy();
            let ticked = Rc::new(Cell::new(false));
            let t = ticked.clone();
            a.end_then(move |e| out!("a end cb {} {}", cb_err(&e), t.get()));
            ticked.set(true);
            out!("a finish {} {}", a.destroyed(), a.writable_finished());
        });
        a.on(Close, move |had_error| {
            out!("a close {had_error}");
            second(port, server);
        });
    });
}
