//! listen() on a listening server throws ERR_SERVER_ALREADY_LISTEN at once and changes
//! nothing: the server keeps its address and accepts; once closed it may listen again.
//! (`listen` cannot throw: `try_listen` returns what Node throws.)
use nodenet::net::{self, events::*};

pub fn scenario() {
    let s = net::create_server();
    s.on(Connection, |sock| {
        sock.end();
    });
    s.on(Error, |e| out!("error {}", e.code()));
    s.once(Listening, move |_| {
        let port = s.address().map(|a| a.port()).unwrap_or(0);
        out!("listening {}", s.listening());
        match s.try_listen((0, "127.0.0.1")) {
            Ok(_) => {
                s.once(Listening, |_| out!("second listen callback"));
                out!("second listen returned");
            }
            Err(e) => out!("throws {} {}", e.code(), e.message()),
        }
        out!(
            "same port {} {}",
            s.address().map(|a| a.port()) == Some(port),
            s.listening()
        );
        let c = net::connect((port, "127.0.0.1"));
        c.on(Connect, |_| out!("client connect"));
        c.resume();
        c.on(Close, move |_| {
            out!("client close");
            s.close_cb(move |_| {
                out!("closed {}", s.listening());
                s.once(Listening, move |_| {
                    out!("listening again {}", s.listening());
                    s.close_cb(|_| out!("closed again"));
                });
                s.listen((0, "127.0.0.1"));
            });
        });
    });
    s.listen((0, "127.0.0.1"));
}
