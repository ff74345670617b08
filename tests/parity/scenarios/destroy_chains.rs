//! destroy() and resetAndDestroy() in the odd places: called from the error listener of a
//! refused connect (one close only); destroy() returns the socket, twice, and a write
//! after it gets ERR_STREAM_DESTROYED through its callback with no error event;
//! resetAndDestroy() then destroy() while connecting: no connect, no error, one close; on a
//! connected socket, resetAndDestroy().destroy() gives the peer ECONNRESET.
use nodenet::net::{self, Server, Socket, events::*};

use crate::harness::{REFUSED_PORT, null};

fn refused(name: &'static str, how: fn(Socket), next: impl FnOnce() + 'static) {
    let c = net::connect((REFUSED_PORT, "127.0.0.1"));
    c.on(Error, move |e| {
        out!("{name} error {}", e.code());
        how(c);
    });
    let mut next = Some(next);
    c.on(Close, move |h| {
        out!("{name} close {h}");
        if let Some(f) = next.take() {
            f();
        }
    });
}

pub fn scenario() {
    refused(
        "destroy in error",
        |c| {
            c.destroy();
        },
        || {
            refused(
                "reset in error",
                |c| {
                    c.reset_and_destroy();
                },
                connected,
            )
        },
    );
}

fn code(e: Option<nodenet::Error>) -> String {
    null(e.map(|e| e.code().to_string()))
}

fn connected() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.on(Error, |e| note!("server", "error {}", e.code()));
        s.on(Close, |h| note!("server", "close {h}"));
        s.resume();
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let a = net::connect((port, "127.0.0.1"));
        a.once(Connect, move |_| {
            out!("a connect");
            out!(
                "a destroy returns it {} {}",
                a.destroy() == a,
                a.destroy() == a
            );
            a.write_cb("x", |e| out!("a write callback {}", code(e)));
        });
        a.on(Error, |e| out!("a error {}", e.code()));
        a.on(Close, move |h| {
            out!("a close {h}");
            second(server, port);
        });
    });
    server.listen((0, "127.0.0.1"));
}

fn second(server: Server, port: u16) {
    let b = net::connect((port, "127.0.0.1"));
    out!("b chain {}", b.reset_and_destroy().destroy() == b);
    b.on(Connect, |_| out!("b connect"));
    b.on(Error, |e| out!("b error {}", e.code()));
    b.on(Close, move |h| {
        out!("b close {h}");
        let d = net::connect((port, "127.0.0.1"));
        d.once(Connect, move |_| {
            out!("d connect");
            out!("d chain {}", d.reset_and_destroy().destroy() == d);
            d.write_cb("y", |e| out!("d write callback {}", code(e)));
        });
        d.on(Error, |e| out!("d error {}", e.code()));
        d.on(Close, move |h| {
            out!("d close {h}");
            server.close();
        });
    });
}
