//! Ports of test-stream-writable-writable, -ended-state, -finished-state,
//! test-stream-writableState-ending and test-stream-duplex-writable-finished (writable
//! side), on sockets: writable, writableEnded, writableFinished, destroyed and errored at
//! each step. end(data, cb) returns the socket, ended at once and no longer writable,
//! finished only in the end callback and `finish`; a destroy() after end() leaves it ended
//! but unfinished, one after `finish` finished; a destroy() or destroy(err) of an open
//! socket is neither. (A socket has no writableAborted: Node's Duplex does not take it.)
use nodenet::net::{self, Encoding, Server, Socket, events::*};

use super::s3_util::{code, serve_sink};

fn props(who: &str, what: &str, s: Socket) {
    out!(
        "{who} {what} {} {} {} {} {}",
        s.writable(),
        s.writable_ended(),
        s.writable_finished(),
        s.destroyed(),
        s.errored().map_or_else(|| "null".into(), |e| code(&e))
    );
}

fn step_a(port: u16, server: Server) {
    let a = net::connect((port, "127.0.0.1"));
    props("a", "connecting", a);
    a.on(Connect, move |_| {
        props("a", "connected", a);
        let r = a.end_with_cb("x", Encoding::Utf8, move |_| props("a", "end cb", a));
        out!("a end returns the socket {}", r == a);
        props("a", "after end", a);
    });
    a.on(Finish, move |_| props("a", "finish", a));
    a.on(Close, move |_| step_b(port, server));
}

fn step_b(port: u16, server: Server) {
    let b = net::connect((port, "127.0.0.1"));
    b.on(Connect, move |_| {
        b.end_with("x");
        b.destroy();
        props("b", "end then destroy", b);
    });
    b.on(Close, move |_| step_c(port, server));
}

fn step_c(port: u16, server: Server) {
    let c = net::connect((port, "127.0.0.1"));
    c.on(Connect, move |_| {
        c.end();
    });
    c.on(Finish, move |_| {
        c.destroy();
        props("c", "destroy after finish", c);
    });
    c.on(Close, move |_| step_d(port, server));
}

fn step_d(port: u16, server: Server) {
    let d = net::connect((port, "127.0.0.1"));
    d.on(Connect, move |_| {
        d.destroy();
        props("d", "destroy", d);
    });
    d.on(Close, move |_| step_e(port, server));
}

fn step_e(port: u16, server: Server) {
    let e = net::connect((port, "127.0.0.1"));
    e.on(Connect, move |_| {
        e.write("y");
        e.destroy_with(nodenet::Error::other("boom"));
        props("e", "destroy(err)", e);
    });
    e.on(Error, move |err| {
        props("e", &format!("error {}", code(&err)), e)
    });
    e.on(Close, move |_| {
        server.close();
    });
}

pub fn scenario() {
    serve_sink(|server, port| step_a(port, server));
}
