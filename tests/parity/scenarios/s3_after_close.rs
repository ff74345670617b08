//! After close: destroyed, pending again, readyState closed; the byte counters and a remote
//! address read while connected are kept, the local address is gone; setNoDelay,
//! setKeepAlive, setTimeout, pause, resume, end do not throw and return the socket; write
//! after the peer's FIN gives EPIPE to its callback and emits no error.
use nodenet::net::{self, ServerOptions, events::*};

use super::s3_util::{cb_err, code, serve, undef};

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            s.end_with("hi");
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            c.resume();
            c.on(Connect, move |_| {
                out!(
                    "connected to {} {}",
                    undef(c.remote_address()),
                    undef(c.remote_family())
                )
            });
            c.on(Error, |e| out!("error {}", code(&e)));
            c.on(Close, move |e| {
                out!(
                    "close {e} {} {} {} {} {}",
                    c.destroyed(),
                    c.pending(),
                    c.ready_state(),
                    c.bytes_read(),
                    c.bytes_written()
                );
                out!(
                    "addresses {} {} {} {} {}",
                    undef(c.remote_address()),
                    undef(c.remote_family()),
                    undef(c.local_address()),
                    undef(c.local_port()),
                    c.address().map_or("{}".to_string(), |a| a.to_string())
                );
                out!(
                    "calls return this {} {} {} {} {}",
                    c.set_no_delay(true) == c,
                    c.set_keep_alive(true, 10) == c,
                    c.set_timeout(10) == c,
                    c.pause() == c,
                    c.resume() == c
                );
                let r = c.write_cb("x", move |err| {
                    out!(
                        "write cb {} {}",
                        cb_err(&err),
                        err.as_ref()
                            .map_or("null".into(), |e| e.message().to_string())
                    );
                    out!("end returns this {}", c.end() == c);
                    nodenet::set_timeout(20, move || {
                        out!("still {}", c.destroyed());
                        server.close();
                    });
                });
                out!("write {r}");
            });
        },
    );
}
