//! setTimeout(60): one timeout per idle period, the socket left open; activity re-arms it;
//! setTimeout(0) disarms it.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, events::*};

use crate::harness::undef;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.on(Data, |d| {
            out!("server data {}", String::from_utf8_lossy(d.as_bytes()))
        });
        s.on(End, move |_| {
            s.end();
        });
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        out!("timeout prop {}", undef(c.timeout()));
        c.set_timeout_cb(60, || out!("setTimeout callback"));
        out!("timeout prop {}", undef(c.timeout()));
        let n = Rc::new(Cell::new(0));
        c.on(Timeout, move |_| {
            n.set(n.get() + 1);
            out!("timeout {} {} {}", n.get(), c.destroyed(), c.ready_state());
            if n.get() == 1 {
                nodenet::set_timeout(150, move || {
                    c.write("ping");
                });
            } else {
                c.set_timeout(0);
                nodenet::set_timeout(150, move || {
                    c.end();
                });
            }
        });
        c.on(Close, move |e| {
            out!("close {e}");
            server.close();
        });
    });
    server.listen((0, "127.0.0.1"));
}
