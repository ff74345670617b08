//! Idle timers never keep the process alive: with the server, both ends of a connection
//! and a never-connected socket unref'd, each with a long setTimeout, the process exits
//! at once without any timeout.
use nodenet::net::{self, ServerOptions, Socket, SocketOptions, events::*};

use super::s3_util::serve;

pub fn scenario() {
    let lone = Socket::new(SocketOptions::default());
    lone.set_timeout_cb(1000, || out!("lone timeout"));
    serve(
        ServerOptions::default(),
        |s| {
            s.set_timeout_cb(1000, || out!("srvSock timeout"));
            s.unref();
        },
        |server, port| {
            server.unref();
            let c = net::connect((port, "127.0.0.1"));
            c.set_timeout_cb(1000, || out!("client timeout"));
            c.on(Connect, move |_| {
                out!("connected");
                c.unref();
            });
        },
    );
}
