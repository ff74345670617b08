//! allowHalfOpen false (the default): in its end handler the server socket is still
//! writable (writeOnly), a write there is accepted and reaches the client; the socket ends
//! itself on the next tick (finish), then closes (Node's test-net-writable).
use nodenet::net::{self, Encoding, ServerOptions, events::*};

use super::s3_util::serve;

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            s.resume();
            s.on(End, move |_| {
                note!(
                    "srvSock",
                    "end {} {} {}",
                    s.ready_state(),
                    s.writable(),
                    s.writable_ended()
                );
                let r = s.write("reply");
                note!("srvSock", "write in end {r} {}", s.writable_length());
                nodenet::next_tick(move || note!("srvSock", "next tick {}", s.writable_ended()));
            });
            s.on(Finish, move |_| {
                note!("srvSock", "finish {}", s.ready_state())
            });
            s.on(Close, |e| note!("srvSock", "close {e}"));
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            c.set_encoding(Encoding::Utf8);
            c.end_with("hi");
            c.on(Data, |d| out!("client data {d}"));
            c.on(End, |_| out!("client end"));
            c.on(Close, move |e| {
                out!("client close {e}");
                server.close();
            });
        },
    );
}
