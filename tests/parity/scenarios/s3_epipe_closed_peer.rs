//! A half-open client keeps writing after the peer destroyed its socket: the first write is
//! taken by the kernel (the peer answers with RST), a later one fails with the kernel's
//! EPIPE ("write EPIPE"): callback, then error, then close(true). No SIGPIPE.
use nodenet::net::{self, ConnectOptions, ServerOptions, events::*};

use super::s3_util::{cb_err, code, serve, undef};

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            s.destroy();
        },
        |server, port| {
            let c = net::connect(ConnectOptions {
                allow_half_open: true,
                ..(port, "127.0.0.1").into()
            });
            c.resume();
            c.on(End, move |_| {
                out!("end {} {}", c.ready_state(), c.writable());
                out!(
                    "write 1 {}",
                    c.write_cb("a", |e| out!("cb 1 {}", cb_err(&e)))
                );
                nodenet::set_timeout(30, move || {
                    let r = c.write_cb("b", |e| {
                        out!(
                            "cb 2 {} {} {}",
                            cb_err(&e),
                            undef(e.as_ref().map(|e| e.message().to_string())),
                            undef(e.as_ref().and_then(|e| e.syscall()))
                        )
                    });
                    out!("write 2 {r}");
                    out!("destroyed {}", c.destroyed());
                });
            });
            c.on(Error, |e| out!("error {} {}", code(&e), e.message()));
            c.on(Close, move |e| {
                out!("close {e}");
                server.close();
            });
        },
    );
}
