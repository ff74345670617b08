//! A signal that aborts after its socket or its server has closed changes nothing: no event.
use nodenet::AbortController;
use nodenet::net::{self, ConnectOptions, ListenOptions, events::*};

use crate::harness::code;

pub fn scenario() {
    let sac = AbortController::new();
    let listen_opts = ListenOptions::from((0, "127.0.0.1")).signal(sac.signal());
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end();
    });
    server.on(Close, move |_| {
        out!("server close");
        let sac = sac.clone();
        nodenet::set_timeout(5, move || {
            sac.abort();
            out!("server signal aborted after close {}", server.listening());
        });
    });
    server.once(Listening, move |_| {
        let ac = AbortController::new();
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect(ConnectOptions::from((port, "127.0.0.1")).signal(ac.signal()));
        c.on(Connect, |_| out!("connect"));
        c.on(End, |_| out!("end"));
        c.on(Error, |e| out!("error {}", code(&e)));
        c.on(Close, move |h| {
            out!("close {h}");
            let ac = ac.clone();
            nodenet::set_timeout(5, move || {
                ac.abort();
                out!("socket signal aborted after close {}", c.destroyed());
                server.close();
            });
        });
    });
    server.listen(listen_opts);
}
