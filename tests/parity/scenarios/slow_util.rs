//! Helpers shared by the scenarios with a slow callback; their JS twins are in
//! `js/_slow.js`.
use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use nodenet::net::{self, Socket, events::*};

/// Keep the loop busy for `ms` milliseconds.
pub fn busy(ms: u64) {
    let end = Instant::now() + Duration::from_millis(ms);
    while Instant::now() < end {}
}

/// A client that sends `a`, sends `b` when the first reply arrives, and ends when the
/// server does.
pub fn a_then_b(port: u16) -> Socket {
    let c = net::connect((port, "127.0.0.1"));
    let sent = Rc::new(Cell::new(false));
    c.write("a");
    c.on(Data, move |_| {
        if !sent.replace(true) {
            c.write("b");
        }
    });
    c.on(End, move |_| {
        c.end();
    });
    c.on(Error, |_| {});
    c
}
