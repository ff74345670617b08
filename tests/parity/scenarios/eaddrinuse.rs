//! Two servers on one port: the second gets EADDRINUSE on next tick, with no close, and may
//! listen again.
use nodenet::net::{self, events::*};

use crate::harness::{error_fields, null, portless};

pub fn scenario() {
    let s1 = net::create_server();
    let s2 = net::create_server();
    s1.on(Close, |_| out!("s1 close"));
    s2.on(Close, |_| out!("s2 close"));
    s1.on(Listening, move |_| {
        out!("s1 listening");
        let port = s1.address().map(|a| a.port()).unwrap_or(0);
        s2.once(Error, move |e| {
            out!("s2 error {}", error_fields(&e, port));
            out!("message {}", portless(e.message(), port));
            out!(
                "s2 listening {} address {}",
                s2.listening(),
                null(s2.address())
            );
            s2.once(Listening, move |_| {
                out!(
                    "s2 listening {} {}",
                    s2.listening(),
                    s2.address().map(|a| a.port()) != Some(port)
                );
                s1.close();
                s2.close();
            });
            s2.listen((0, "127.0.0.1"));
        });
        s2.listen((port, "127.0.0.1"));
        out!("s2.listen returned; listening {}", s2.listening());
    });
    s1.listen((0, "127.0.0.1"));
}
