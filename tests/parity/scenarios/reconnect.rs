//! A socket connects again from its own close listener, three times: listeners and the
//! encoding stay, byte counters start afresh, close(false) each time (test-net-reconnect).
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, Encoding, events::*};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.pipe(s);
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let n = Rc::new(Cell::new(0));
        let c = net::connect((port, "127.0.0.1"));
        c.set_encoding(Encoding::Utf8);
        let n1 = n.clone();
        c.on(Connect, move |_| {
            out!(
                "connect {} {} {} {} {}",
                n1.get(),
                c.ready_state(),
                c.bytes_read(),
                c.bytes_written(),
                c.destroyed()
            );
            c.end_with(format!("x{}", n1.get()));
        });
        c.on(Data, |d| out!("data {d}"));
        c.on(End, |_| out!("end"));
        c.on(Finish, |_| out!("finish"));
        c.on(Close, move |h| {
            out!(
                "close {h} {} {} {} {} {}",
                n.get(),
                c.bytes_read(),
                c.bytes_written(),
                c.ready_state(),
                c.destroyed()
            );
            n.set(n.get() + 1);
            if n.get() < 3 {
                c.connect((port, "127.0.0.1"));
                out!(
                    "after connect {} {} {}",
                    c.connecting(),
                    c.destroyed(),
                    c.ready_state()
                );
            } else {
                server.close();
            }
        });
    });
    server.listen((0, "127.0.0.1"));
}
