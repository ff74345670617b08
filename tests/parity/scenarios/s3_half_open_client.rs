//! allowHalfOpen as a client option only: the server (default) ends first with `bye`; the
//! client gets end and stays writable (writeOnly), writes `late` 20 ms later, which the
//! server, already finished, still reads before its end; then both close.
use nodenet::net::{self, ConnectOptions, Encoding, ServerOptions, events::*};

use super::s3_util::serve;

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            s.set_encoding(Encoding::Utf8);
            s.end_with("bye");
            s.on(Data, move |d| {
                note!("srvSock", "data {d} {}", s.ready_state())
            });
            s.on(End, move |_| note!("srvSock", "end {}", s.ready_state()));
            s.on(Close, |e| note!("srvSock", "close {e}"));
        },
        |server, port| {
            let c = net::connect(ConnectOptions {
                allow_half_open: true,
                ..(port, "127.0.0.1").into()
            });
            out!("allowHalfOpen {}", c.allow_half_open());
            c.set_encoding(Encoding::Utf8);
            c.on(Data, |d| out!("data {d}"));
            c.on(End, move |_| {
                out!(
                    "end {} {} {} {}",
                    c.ready_state(),
                    c.writable(),
                    c.readable(),
                    c.writable_ended()
                );
                nodenet::set_timeout(20, move || {
                    out!("write late {} {}", c.write("late"), c.ready_state());
                    c.end();
                    out!("after end() {}", c.ready_state());
                });
            });
            c.on(Finish, |_| out!("finish"));
            c.on(Close, move |e| {
                out!("close {e}");
                server.close();
            });
        },
    );
}
