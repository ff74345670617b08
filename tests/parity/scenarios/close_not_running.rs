//! close() on a server that is not listening: close is still emitted, the callback gets
//! ERR_SERVER_NOT_RUNNING; and a second close() right after a first one emits close again.
use nodenet::net::{self, events::*};

use crate::harness::undef;

pub fn scenario() {
    let a = net::create_server();
    a.on(Close, |_| out!("a close"));
    a.close_cb(|err| {
        out!(
            "a close cb {} {}",
            undef(err.as_ref().map(|e| e.code().to_string())),
            undef(err.as_ref().map(|e| e.message().to_string()))
        )
    });
    out!("a close() returned");

    nodenet::set_timeout(10, || {
        let b = net::create_server();
        b.on(Close, |_| out!("b close"));
        b.on(Listening, move |_| {
            out!("b listening");
            b.close_cb(|err| out!("b close#1 cb {}", undef(err.map(|e| e.code().to_string()))));
            b.close_cb(|err| out!("b close#2 cb {}", undef(err.map(|e| e.code().to_string()))));
        });
        b.listen((0, "127.0.0.1"));
    });
}
