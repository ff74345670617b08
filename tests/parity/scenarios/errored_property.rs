//! Node's `errored`: null on a healthy socket and after a plain destroy(); the error of
//! destroy(err) at once; the first error only (a second destroy's is ignored); the peer's
//! reset (ECONNRESET); a write after end() (ERR_STREAM_WRITE_AFTER_END), from the call on.
//! And `closed`: a socket's is true from its destroy() on (its _destroy completes at once);
//! `readableAborted`: destroyed or errored before `end`.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, Server, Socket, events::*};

fn code(e: Option<nodenet::Error>) -> String {
    e.map_or_else(|| "null".to_string(), |e| e.code().to_string())
}

fn part(i: usize, c: Socket, peer: Option<Socket>, done: impl FnOnce() + 'static) {
    let mut done = Some(done);
    let mut close = move |line: String| {
        out!("{line}");
        if let Some(d) = done.take() {
            d();
        }
    };
    match i {
        0 => {
            let state = move || {
                format!(
                    "{} {} {}",
                    code(c.errored()),
                    c.closed(),
                    c.readable_aborted()
                )
            };
            out!("A fresh {}", state());
            c.destroy();
            out!("A after destroy() {}", state());
            c.on(Close, move |_| close(format!("A close {}", state())));
        }
        1 => {
            c.on(Error, move |x| {
                out!("B error {} {}", x.code(), code(c.errored()))
            });
            c.destroy_with(nodenet::Error::node("ERR_FIRST", "first"));
            c.destroy_with(nodenet::Error::node("ERR_SECOND", "second"));
            out!("B after destroy(err) {}", code(c.errored()));
            c.on(Close, move |_| {
                close(format!("B close {}", code(c.errored())))
            });
        }
        2 => {
            c.on(Error, move |x| {
                out!("C error {} {}", x.code(), code(c.errored()))
            });
            if let Some(p) = peer {
                p.reset_and_destroy();
            }
            c.on(Close, move |_| {
                close(format!("C close {}", code(c.errored())))
            });
        }
        _ => {
            c.on(Error, move |x| {
                out!(
                    "D error {} {} {}",
                    x.code(),
                    code(c.errored()),
                    c.readable_aborted()
                )
            });
            c.end();
            c.write_cb("x", move |x| {
                out!("D write cb {} {}", code(x), code(c.errored()))
            });
            out!("D after write {}", code(c.errored()));
            c.on(Close, move |_| {
                close(format!("D close {}", code(c.errored())))
            });
        }
    }
}

fn next(server: Server, port: u16, peer: Rc<Cell<Option<Socket>>>, i: usize) {
    if i == 4 {
        server.close();
        return;
    }
    peer.set(None);
    let c = net::connect((port, "127.0.0.1"));
    c.on(Connect, move |_| {
        let peer2 = peer.clone();
        let go = move || {
            part(i, c, peer2.get(), move || {
                nodenet::set_timeout(10, move || next(server, port, peer2, i + 1));
            });
        };
        if peer.get().is_some() {
            go();
        } else {
            // The accepted side comes in a later iteration: wait for it.
            fn wait(peer: Rc<Cell<Option<Socket>>>, go: impl FnOnce() + 'static) {
                if peer.get().is_some() {
                    go();
                } else {
                    nodenet::set_immediate(move || wait(peer, go));
                }
            }
            wait(peer.clone(), go);
        }
    });
}

pub fn scenario() {
    let server = net::create_server();
    let peer: Rc<Cell<Option<Socket>>> = Rc::default();
    let p = peer.clone();
    server.on(Connection, move |s| {
        s.on(Error, |_| {});
        p.set(Some(s));
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        next(server, port, peer.clone(), 0);
    });
    server.listen((0, "127.0.0.1"));
}
