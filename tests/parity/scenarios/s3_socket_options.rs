//! setNoDelay() and setKeepAlive() before connect (applied once connected), after connect,
//! and as connect options (noDelay, keepAlive, keepAliveInitialDelay): each call returns the
//! socket, and the connection keeps working: an echo round trip, both ends still open 60 ms
//! later with a 50 ms keep-alive delay (Node's test-net-keepalive, -persistent-keepalive).
use nodenet::net::{
    self, ConnectOptions, Encoding, ServerOptions, Socket, SocketOptions, events::*,
};

use super::s3_util::serve;

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            s.pipe(s);
            out!(
                "server side {} {}",
                s.set_keep_alive(true, 50) == s,
                s.set_no_delay(true) == s
            );
        },
        |server, port| {
            let c = Socket::new(SocketOptions::default());
            out!(
                "before connect {} {} {} {}",
                c.set_no_delay(true) == c,
                c.set_keep_alive(true, 400) == c,
                c.set_no_delay(false) == c,
                c.set_no_delay(true) == c
            );
            c.connect((port, "127.0.0.1"));
            c.set_encoding(Encoding::Utf8);
            c.on(Connect, move |_| {
                out!(
                    "after connect {} {} {} {}",
                    c.set_no_delay(false) == c,
                    c.set_keep_alive(false, 0) == c,
                    c.set_keep_alive(true, 1500) == c,
                    c.set_no_delay(true) == c
                );
                c.write("ping");
            });
            c.once(Data, move |d| {
                out!("echo {d}");
                nodenet::set_timeout(60, move || {
                    out!("60 ms later {}", c.ready_state());
                    let d2 = net::connect(ConnectOptions {
                        no_delay: true,
                        keep_alive: true,
                        keep_alive_initial_delay: 456123,
                        ..(port, "127.0.0.1").into()
                    });
                    d2.set_encoding(Encoding::Utf8);
                    d2.on(Connect, move |_| {
                        d2.end_with("pong");
                    });
                    d2.on(Data, |x| out!("options client echo {x}"));
                    d2.on(Close, move |e| {
                        out!("options client close {e}");
                        c.end();
                    });
                });
            });
            c.on(Close, move |e| {
                out!("close {e}");
                server.close();
            });
        },
    );
}
