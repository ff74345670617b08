//! Three clients connect at once: their connections wait in the listener's queue together,
//! and the server takes one per loop iteration (libuv accepts once per poll event), so each
//! connection's next tick and immediate run before the next connection.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, events::*};

pub fn scenario() {
    let n = Rc::new(Cell::new(0));
    let server = net::create_server();
    server.on(Connection, move |s| {
        n.set(n.get() + 1);
        let k = n.get();
        out!("connection {k}");
        nodenet::next_tick(move || out!("tick {k}"));
        nodenet::set_immediate(move || out!("immediate {k}"));
        s.destroy();
        if k == 3 {
            server.close();
        }
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        nodenet::set_timeout(20, move || {
            for _ in 0..3 {
                net::connect((port, "127.0.0.1")).on(Error, |_| {});
            }
        });
    });
    server.listen((0, "127.0.0.1"));
}
