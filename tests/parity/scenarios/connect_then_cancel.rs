//! Ending or destroying a socket while its host name is being looked up: end() right after
//! connect() to a name that does not resolve still gets the lookup's error (ENOTFOUND,
//! getaddrinfo) and close(true); destroy() right after connect() to a name that resolves
//! gives close(false) and nothing else: no lookup event (happy eyeballs on, the default),
//! no attempt, no connect, no error. (With autoSelectFamily off, see lookup_after_destroy.)
use nodenet::net::{self, events::*};

use crate::harness::undef;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end();
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let a = net::connect((port, "nodenet-parity.invalid"));
        a.end();
        a.on(Lookup, |l| {
            out!("a lookup {}", undef(l.error.map(|e| e.code().to_string())))
        });
        a.on(Error, |e| {
            out!(
                "a error {} {} {}",
                e.code(),
                undef(e.syscall()),
                undef(e.hostname())
            )
        });
        a.on(Close, move |h| {
            out!("a close {h}");
            let b = net::connect((port, "localhost"));
            b.destroy();
            b.on(Lookup, |_| out!("b lookup"));
            b.on(ConnectionAttempt, |_| out!("b attempt"));
            b.on(Connect, |_| out!("b connect"));
            b.on(Error, |e| out!("b error {}", e.code()));
            b.on(Close, move |h| {
                out!("b close {h}");
                nodenet::set_timeout(100, move || {
                    server.close();
                });
            });
        });
    });
    server.listen(0u16);
}
