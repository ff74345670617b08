//! The peer's FIN is activity for the idle timeout: a half-open client whose idle timeout
//! (40 ms) has fired once gets it again one period after the FIN arrives (Node refreshes
//! the timer for every read, the one that finds the end included); then, with no more
//! activity, none.
use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use nodenet::net::{self, ConnectOptions, events::*};

pub fn scenario() {
    let server = net::create_server();
    // The accepted socket, for the client's first timeout to end it 100 ms later.
    let peer: Rc<Cell<Option<net::Socket>>> = Rc::new(Cell::new(None));
    let p = peer.clone();
    server.on(Connection, move |s| {
        s.on(Data, |_| {});
        s.on(Close, move |_| {
            server.close();
        });
        p.set(Some(s));
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect(ConnectOptions {
            allow_half_open: true,
            ..(port, "127.0.0.1").into()
        });
        c.set_timeout(40);
        let n = Rc::new(Cell::new(0));
        let end_at = Rc::new(Cell::new(None::<Instant>));
        let e = end_at.clone();
        c.on(End, move |_| {
            e.set(Some(Instant::now()));
            out!("end {}", c.ready_state());
        });
        let k = n.clone();
        let peer = peer.clone();
        c.on(Timeout, move |_| {
            k.set(k.get() + 1);
            if k.get() == 1 {
                out!("timeout 1 {}", c.ready_state());
                if let Some(s) = peer.get() {
                    nodenet::set_timeout(100, move || {
                        s.end();
                    });
                }
            } else {
                let after = end_at.get().map_or(0, |t| t.elapsed().as_millis());
                out!(
                    "timeout {} {} {}",
                    k.get(),
                    c.ready_state(),
                    (30..90).contains(&after)
                );
                nodenet::set_timeout(150, move || {
                    c.end();
                });
            }
        });
        c.on(Close, move |h| out!("close {h} timeouts {}", n.get()));
    });
    server.listen((0, "127.0.0.1"));
}
