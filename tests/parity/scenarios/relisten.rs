//! A closed server can listen again, three times: listening, close() (not listening, no
//! address at once), close event, listen again.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, events::*};

use crate::harness::null;

pub fn scenario() {
    let server = net::create_server();
    let round = Rc::new(Cell::new(0));
    let r = round.clone();
    server.on(Listening, move |_| {
        r.set(r.get() + 1);
        out!("listening {} {}", r.get(), server.listening());
        server.close();
        out!(
            "after close {} {}",
            server.listening(),
            null(server.address())
        );
    });
    server.on(Close, move |_| {
        out!("close {}", round.get());
        if round.get() < 3 {
            server.listen((0, "127.0.0.1"));
        }
    });
    server.listen((0, "127.0.0.1"));
}
