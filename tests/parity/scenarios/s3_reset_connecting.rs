//! resetAndDestroy() while connecting waits for the connection, then resets it from a connect
//! listener (later connect listeners still run); the server's socket gets ECONNRESET (read)
//! and close(true). On a socket that never connects it destroys with ERR_SOCKET_CLOSED:
//! error, then close(true).
use nodenet::net::{self, ServerOptions, Socket, SocketOptions, events::*};

use super::s3_util::{code, serve, undef};

pub fn scenario() {
    let lone = Socket::new(SocketOptions::default());
    lone.on(Error, |e| out!("lone error {} {}", code(&e), e.message()));
    lone.on(Close, |_| out!("lone close"));
    out!(
        "lone resetAndDestroy returns this {} {}",
        lone.reset_and_destroy() == lone,
        lone.destroyed()
    );
    serve(
        ServerOptions::default(),
        |s| {
            s.on(Error, |e| {
                note!("srvSock", "error {} {}", code(&e), undef(e.syscall()))
            });
            s.on(Close, |e| note!("srvSock", "close {e}"));
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            c.reset_and_destroy();
            note!(
                "client",
                "after resetAndDestroy() {} {} {}",
                c.destroyed(),
                c.connecting(),
                c.ready_state()
            );
            c.on(Connect, |_| note!("client", "connect"));
            c.on(Error, |e| note!("client", "error {}", code(&e)));
            c.on(Close, move |e| {
                note!("client", "close {e} {}", c.destroyed());
                server.close();
            });
        },
    );
}
