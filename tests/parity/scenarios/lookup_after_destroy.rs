//! KNOWN DIFFERENCE (not registered in scenarios/mod.rs): a socket destroyed right after
//! connect() to a name, with autoSelectFamily off. Node's single-address path emits
//! `lookup` when the answer comes, although the socket is destroyed (and closed) by then;
//! nodenet emits nothing, as the socket's listeners are gone with its close.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, ConnectOptions, events::*};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end();
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let b = net::connect(ConnectOptions {
            auto_select_family: false,
            ..(port, "localhost").into()
        });
        b.destroy();
        let lookups = Rc::new(Cell::new(0));
        let l2 = lookups.clone();
        b.on(Lookup, move |_| l2.set(l2.get() + 1));
        b.on(Close, move |h| {
            out!("close {h}");
            let lookups = lookups.clone();
            nodenet::set_timeout(100, move || {
                out!("lookup events {}", lookups.get());
                server.close();
            });
        });
    });
    server.listen(0u16);
}
