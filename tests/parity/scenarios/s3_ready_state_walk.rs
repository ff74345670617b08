//! readyState with pending, connecting, readable, writable and destroyed at each step of a
//! connection where the client ends first: opening, open, readOnly (client after end());
//! open, writeOnly (server after the client's FIN), then closed on both.
use nodenet::net::{self, ServerOptions, Socket, events::*};

use super::s3_util::serve;

fn st(s: Socket) -> String {
    format!(
        "{} pending {} connecting {} r/w {} {} destroyed {}",
        s.ready_state(),
        s.pending(),
        s.connecting(),
        s.readable(),
        s.writable(),
        s.destroyed()
    )
}

pub fn scenario() {
    serve(
        ServerOptions {
            allow_half_open: true,
            ..Default::default()
        },
        |s| {
            note!("srvSock", "connection {}", st(s));
            s.on(End, move |_| {
                note!("srvSock", "end {}", st(s));
                nodenet::set_timeout(20, move || {
                    s.end_with("bye");
                    note!("srvSock", "after end() {}", st(s));
                });
            });
            s.on(Finish, move |_| note!("srvSock", "finish {}", st(s)));
            s.on(Close, move |_| note!("srvSock", "close {}", st(s)));
            s.resume();
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            out!("after connect() {}", st(c));
            c.on(Connect, move |_| {
                out!("connect {}", st(c));
                c.end();
                out!("after end() {}", st(c));
            });
            c.on(Finish, move |_| out!("finish {}", st(c)));
            c.on(Data, move |_| out!("data {}", st(c)));
            c.on(End, move |_| out!("end {}", st(c)));
            c.on(Close, move |_| {
                out!("close {}", st(c));
                server.close();
            });
        },
    );
}
