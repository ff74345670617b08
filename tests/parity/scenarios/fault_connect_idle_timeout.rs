//! The idle timeout of a connect that hangs (test-net-connect-timeout; run in a network
//! namespace of its own, where SYNs to port 4000 are dropped): setTimeout(100) fires once,
//! 100-600 ms in, with the socket still connecting; a destroy in its handler closes it
//! without error: no connect, no error, no failed attempt.
use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use nodenet::net::{self, events::*};

pub fn scenario() {
    let port = 4000;
    let t0 = Instant::now();
    let c = net::connect((port, "127.0.0.1"));
    c.set_timeout(100);
    c.on(ConnectionAttempt, move |a| {
        out!("attempt {} {} {}", a.address, a.port == port, a.family)
    });
    c.on(ConnectionAttemptFailed, |a| {
        out!(
            "failed {}",
            a.error.map(|e| e.code().to_string()).unwrap_or_default()
        )
    });
    c.on(Connect, |_| out!("connect"));
    c.on(Error, |e| out!("error {}", e.code()));
    let n = Rc::new(Cell::new(0u32));
    c.on(Timeout, move |_| {
        let ms = t0.elapsed().as_millis();
        n.set(n.get() + 1);
        out!(
            "timeout {} {} {} in 100-600 ms {}",
            n.get(),
            c.connecting(),
            c.ready_state(),
            (95..600).contains(&ms)
        );
        c.destroy();
        out!(
            "destroyed {} {} {}",
            c.destroyed(),
            c.connecting(),
            c.ready_state()
        );
    });
    c.on(Close, move |h| out!("close {h} {}", c.connecting()));
}
