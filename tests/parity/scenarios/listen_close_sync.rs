//! listen() then close() in the same tick: no listening and no error, only close; with no
//! host (bound at once: listening is true right after listen), an IP literal and a name
//! (both bound later: not yet listening), and the name's lookup answering after the close
//! binds nothing. Then the listening property of a server that does listen: false before,
//! true in the listening callback, false again in the close callback.
use nodenet::net::{self, ListenOptions, events::*};

fn trial(name: &'static str, opts: ListenOptions, next: impl FnOnce() + 'static) {
    let s = net::create_server();
    s.on(Listening, move |_| out!("{name} listening"));
    s.on(Error, move |e| out!("{name} error {}", e.code()));
    let mut next = Some(next);
    s.on(Close, move |_| {
        out!(
            "{name} close {} address null {}",
            s.listening(),
            s.address().is_none()
        );
        if let Some(f) = next.take() {
            f();
        }
    });
    s.listen(opts);
    out!("{name} after listen {}", s.listening());
    s.close();
    out!("{name} after close {}", s.listening());
}

pub fn scenario() {
    trial("no host", 0u16.into(), || {
        trial("ip", (0, "127.0.0.1").into(), || {
            trial("name", (0, "localhost").into(), || {
                let s = net::create_server();
                out!("fresh {}", s.listening());
                s.once(Listening, move |_| {
                    out!("listening callback {}", s.listening());
                    s.close_cb(move |_| out!("close callback {}", s.listening()));
                    out!("after close() {}", s.listening());
                });
                s.listen((0, "127.0.0.1"));
            })
        })
    });
}
