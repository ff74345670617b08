//! A connect whose SYNs are all dropped (run in a network namespace of its own, with one
//! SYN retry): the socket's idle timeout fires once while it connects, then the connect
//! fails with ETIMEDOUT after about 3 s, and the socket closes with an error.
use std::time::Instant;

use nodenet::net::{self, events::*};

use crate::harness::error_fields;

pub fn scenario() {
    let port = 4000;
    let t0 = Instant::now();
    let c = net::connect((port, "127.0.0.1"));
    c.set_timeout(300);
    c.on(Timeout, move |_| {
        out!("timeout {} {}", c.connecting(), c.ready_state())
    });
    c.on(Connect, |_| out!("connect"));
    c.on(Error, move |e| {
        let ms = t0.elapsed().as_millis();
        out!("error {}", error_fields(&e, port));
        out!("message {}", e.message());
        out!("after 2.5-4.5 s {}", (2500..4500).contains(&ms));
        out!("connecting {} destroyed {}", c.connecting(), c.destroyed());
    });
    c.on(Close, |e| out!("close {e}"));
}
