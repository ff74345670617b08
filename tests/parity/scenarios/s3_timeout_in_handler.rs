//! createConnection({ timeout }) arms the idle timer before connecting; writing inside the
//! timeout handler is activity: it re-arms the timer, the echo comes back, a second timeout
//! follows a quiet period, and the connection then ends normally.
use nodenet::net::{self, ConnectOptions, Encoding, ServerOptions, events::*};

use super::s3_util::{Count, serve, undef};

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            s.set_encoding(Encoding::Utf8);
            s.on(Data, move |d| {
                note!("srvSock", "data {d}");
                s.write(d.to_string().to_uppercase());
            });
            s.on(End, move |_| {
                s.end();
            });
        },
        |server, port| {
            let c = net::create_connection(ConnectOptions {
                timeout: Some(40),
                ..(port, "127.0.0.1").into()
            });
            out!("timeout prop {} {}", undef(c.timeout()), c.connecting());
            c.set_encoding(Encoding::Utf8);
            let n = Count::default();
            c.on(Timeout, move |_| {
                let k = n.inc();
                out!("timeout {k}");
                if k == 1 {
                    out!("write in handler {}", c.write("ping"));
                } else {
                    c.end();
                }
            });
            c.on(Data, |d| out!("data {d}"));
            c.on(Close, move |e| {
                out!("close {e}");
                server.close();
            });
        },
    );
}
