//! Ping-pong, 50 rounds over 127.0.0.1 then ::1, both ends half-open: each PING arrives
//! alone and is answered with PONG (bufferSize stays within one message, both ends
//! readable and writable); the client sends its last PING with end(): the server still
//! answers it, is writable but not readable at its end, then ends; every write callback
//! runs. The accepted socket knows its server; getConnections counts 1.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, ServerOptions, events::*};

use crate::harness::null;

const N: u32 = 50;

/// What runs once a round is over, taken by the one connection's close.
type Next = Rc<RefCell<Option<Box<dyn FnOnce()>>>>;

fn round(host: &'static str, next: impl FnOnce() + 'static) {
    let sname: &'static str = if host == "::1" {
        "server ::1"
    } else {
        "server 127.0.0.1"
    };
    let cname: &'static str = if host == "::1" {
        "client ::1"
    } else {
        "client 127.0.0.1"
    };
    let server = net::create_server_with(ServerOptions {
        allow_half_open: true,
        ..Default::default()
    });
    let next: Next = Rc::new(RefCell::new(Some(Box::new(next))));
    server.on(Connection, move |s| {
        note!(sname, "connection {}", s.server() == Some(server));
        server.get_connections(move |r| {
            let (e, n) = match r {
                Ok(n) => (None, n),
                Err(e) => (Some(e.code().to_string()), 0),
            };
            note!(sname, "getConnections {} {n}", null(e));
        });
        s.set_no_delay(true);
        s.set_encoding(net::Encoding::Utf8);
        let pings = Rc::new(Cell::new(0u32));
        let fine = Rc::new(Cell::new(true));
        let pongs = Rc::new(Cell::new(0u32));
        let (p2, f2, o2) = (pings.clone(), fine.clone(), pongs.clone());
        s.on(Data, move |d| {
            p2.set(p2.get() + 1);
            if d.as_str() != Some("PING")
                || !s.readable()
                || !s.writable()
                || s.writable_length() > 4
            {
                f2.set(false);
            }
            let o3 = o2.clone();
            s.write_cb("PONG", move |_| o3.set(o3.get() + 1));
        });
        s.on(End, move |_| {
            note!(
                sname,
                "end {} {} {} {} {}",
                pings.get(),
                fine.get(),
                s.allow_half_open(),
                s.readable(),
                s.writable()
            );
            s.end();
        });
        s.on(Error, move |e| note!(sname, "error {}", e.code()));
        let next = next.clone();
        s.on(Close, move |h| {
            note!(
                sname,
                "close {h} {} {} {}",
                pongs.get(),
                s.readable(),
                s.writable()
            );
            let next = next.borrow_mut().take();
            server.close_cb(move |_| {
                out!("{host} done");
                if let Some(f) = next {
                    f();
                }
            });
        });
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::create_connection((port, host));
        c.set_encoding(net::Encoding::Ascii);
        let count = Rc::new(Cell::new(0u32));
        let fine = Rc::new(Cell::new(true));
        let final_sent = Rc::new(Cell::new(false));
        c.on(Connect, move |_| {
            note!(
                cname,
                "connect {} {} {}",
                c.readable(),
                c.writable(),
                c.remote_family().unwrap_or("undefined")
            );
            c.write("PING");
        });
        let count2 = count.clone();
        c.on(Data, move |d| {
            count2.set(count2.get() + 1);
            if d.as_str() != Some("PONG") {
                fine.set(false);
            }
            if final_sent.get() {
                note!(
                    cname,
                    "last pong {} {} {} {}",
                    count2.get(),
                    fine.get(),
                    c.readable(),
                    c.writable()
                );
                return;
            }
            if !c.readable() || !c.writable() {
                fine.set(false);
            }
            c.write("PING");
            if count2.get() == N {
                final_sent.set(true);
                c.end();
            }
        });
        c.on(End, move |_| note!(cname, "end"));
        c.on(Error, move |e| note!(cname, "error {}", e.code()));
        c.on(Close, move |h| note!(cname, "close {h} {}", count.get()));
    });
    server.listen((0, host));
}

pub fn scenario() {
    round("127.0.0.1", || round("::1", || {}));
}
