//! A socket refused, then connected again (port only) from its close listener, twenty
//! times: each round is error ECONNREFUSED then close(true), on the same socket with the
//! same listeners, and it connects again at once (test-net-reconnect-error).
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, events::*};

use crate::harness::REFUSED_PORT;

const N: u32 = 20;

pub fn scenario() {
    let n = Rc::new(Cell::new(0));
    let c = net::connect(REFUSED_PORT);
    c.on(Connect, |_| out!("connect"));
    let n1 = n.clone();
    c.on(Error, move |e| {
        let first = e.errors().first().unwrap_or(&e);
        out!(
            "{} error {} {} {} {}",
            n1.get(),
            first.code(),
            first.port() == Some(REFUSED_PORT),
            c.connecting(),
            c.destroyed()
        );
    });
    c.on(Close, move |h| {
        out!("{} close {h}", n.get());
        let again = n.get() < N;
        n.set(n.get() + 1);
        if again {
            c.connect(REFUSED_PORT);
            out!(
                "{} connect() again {} {} {}",
                n.get(),
                c.connecting(),
                c.destroyed(),
                c.ready_state()
            );
        }
    });
}
