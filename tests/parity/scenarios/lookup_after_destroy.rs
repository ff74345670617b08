//! A socket destroyed right after connect() to a name, with autoSelectFamily off: Node's
//! single-address path emits `lookup` when the answer comes, although the socket is
//! destroyed (and closed) by then, and connects nowhere. With a `close` listener, without
//! one (the close then has nobody to tell), and for a name that does not resolve (the
//! lookup's error). With happy eyeballs on, nothing is emitted after the destroy. Whether a
//! lookup answers before or after its socket's close is a race with the resolver thread
//! (Node's usually answers first), so each event is a line of its own actor.
use nodenet::net::{self, ConnectOptions, events::*};

use crate::harness::undef;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end();
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let watch = |label: &'static str, host: &str, auto: bool, on_close: bool| {
            let b = net::connect(ConnectOptions {
                auto_select_family: auto,
                ..(port, host).into()
            });
            b.destroy();
            b.on(Lookup, move |l| {
                note!(
                    &format!("{label} lookup"),
                    "{} {} {} {}",
                    l.error
                        .as_ref()
                        .map_or("null".to_string(), |e| e.code().to_string()),
                    undef(l.address.clone()),
                    undef(l.family),
                    l.host
                )
            });
            b.on(Connect, move |_| {
                note!(&format!("{label} connect"), "connected")
            });
            if on_close {
                b.on(Close, move |h| note!(&format!("{label} close"), "{h}"));
            }
        };
        watch("a", "localhost", false, true);
        watch("b", "localhost", false, false);
        watch("c", "nodenet-no-such-host.invalid", false, true);
        watch("d", "localhost", true, true);
        nodenet::set_timeout(300, move || {
            out!("done");
            server.close();
        });
    });
    server.listen(0u16);
}
