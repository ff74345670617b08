//! listen({ signal }): aborting a listening server closes it, with no error ('close' on next
//! tick); a connection after that is refused, and aborting again does nothing. A second
//! server: close() then abort() before 'close' is emitted closes twice, two 'close' events.
use nodenet::AbortController;
use nodenet::net::{self, ListenOptions, events::*};

use crate::harness::code;

pub fn scenario() {
    let ac = AbortController::new();
    let server = net::create_server();
    server.on(Error, |e| out!("server error {}", code(&e)));
    server.on(Close, move |_| out!("server close {}", server.listening()));
    let signal = ac.signal();
    let listen_opts = ListenOptions::from((0, "127.0.0.1")).signal(ac.signal());
    server.on(Listening, move |_| {
        out!("listening {}", server.listening());
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        ac.abort();
        out!(
            "aborted {} {} {}",
            signal.aborted(),
            server.listening(),
            server.address().is_none()
        );
        nodenet::next_tick(|| out!("tick after abort"));
        let ac = ac.clone();
        nodenet::set_immediate(move || {
            out!("immediate");
            ac.abort();
            let c = net::connect((port, "127.0.0.1"));
            c.on(Connect, |_| out!("client connect"));
            c.on(Error, |e| out!("client error {}", code(&e)));
            c.on(Close, |h| {
                out!("client close {h}");
                second();
            });
        });
    });
    server.listen(listen_opts);
    out!("listen returned {}", server.listening());
}

fn second() {
    let ac2 = AbortController::new();
    let s2 = net::create_server();
    s2.on(Close, move |_| out!("s2 close {}", s2.listening()));
    let signal = ac2.signal();
    s2.on(Listening, move |_| {
        out!("s2 listening");
        s2.close();
        ac2.abort();
        out!("s2 closed and aborted");
        nodenet::next_tick(|| out!("s2 tick"));
    });
    s2.listen(ListenOptions::from((0, "127.0.0.1")).signal(signal));
}
