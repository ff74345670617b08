//! setTimeout() works on a socket that never connects: timeout fires once (the socket is
//! left as it is); setTimeout(0) disarms but keeps the timeout property at 0 and the once
//! listener of an earlier setTimeout(ms, cb), which the next timeout calls; after destroy,
//! setTimeout is a no-op and the property keeps its value.
use nodenet::net::{Socket, SocketOptions, events::*};

use super::s3_util::undef;

pub fn scenario() {
    let s = Socket::new(SocketOptions::default());
    s.set_timeout_cb(30, || out!("callback of the first setTimeout"));
    out!("timeout {}", undef(s.timeout()));
    s.set_timeout(0);
    out!(
        "after setTimeout(0) {} {}",
        undef(s.timeout()),
        s.listener_count(Timeout)
    );
    s.set_timeout(20);
    s.on(Timeout, move |_| {
        out!(
            "timeout event {} {} {} {}",
            undef(s.timeout()),
            s.destroyed(),
            s.ready_state(),
            s.pending()
        );
        s.destroy();
        out!("after destroy {}", undef(s.timeout()));
        s.set_timeout(10);
        out!("setTimeout on destroyed {}", undef(s.timeout()));
    });
    s.on(Close, move |_| out!("close {}", undef(s.timeout())));
    nodenet::set_timeout(100, || out!("keep-alive timer"));
}
