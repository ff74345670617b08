//! end(data, encoding, cb) and end(cb): the callbacks run in order, before the finish
//! listeners, with null; end(cb) after finish gets ERR_STREAM_ALREADY_FINISHED; a write in
//! flight when the socket is destroyed fails the end callback with ECANCELED; without one,
//! the end callback gets ERR_STREAM_DESTROYED, or the destroy error.
use nodenet::net::{self, Encoding, ServerOptions, events::*};

use super::s3_util::{cb_err, code, serve};

fn msg(e: &Option<nodenet::Error>) -> String {
    e.as_ref()
        .map_or("null".into(), |e| e.message().to_string())
}

fn third(port: u16, server: net::Server) {
    let g = net::connect((port, "127.0.0.1"));
    g.on(Connect, move |_| {
        g.end_then(|e| out!("destroy(err): end cb {}", cb_err(&e)));
        g.destroy_with(nodenet::Error::other("boom"));
    });
    g.on(Error, |e| out!("destroy(err): error {}", code(&e)));
    g.on(Close, move |e| {
        out!("destroy(err): close {e}");
        server.close();
    });
}

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            s.on(Data, |_| {});
            s.on(Error, |_| {});
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            c.on(Finish, move |_| {
                out!("finish listener {}", c.writable_finished());
                c.end_then(|e| out!("end cb after finish {}", cb_err(&e)));
                c.end();
                out!("end() again returns");
            });
            c.on(Connect, move |_| {
                c.end_with_cb("6869", Encoding::Hex, move |e| {
                    out!("end cb 1 {} {}", cb_err(&e), c.writable_finished())
                });
                out!(
                    "after end {} {} {}",
                    c.writable_ended(),
                    c.writable_finished(),
                    c.bytes_written()
                );
                c.end_then(|e| out!("end cb 2 {}", cb_err(&e)));
            });
            c.on(Close, move |_| {
                let d = net::connect((port, "127.0.0.1"));
                d.on(Connect, move |_| {
                    d.write(vec![0u8; 16 << 20]);
                    d.end_then(|e| out!("in flight: end cb {} {}", cb_err(&e), msg(&e)));
                    d.destroy();
                });
                d.on(Close, move |e| {
                    out!("in flight: close {e}");
                    let f = net::connect((port, "127.0.0.1"));
                    f.on(Connect, move |_| {
                        f.end_then(|e| out!("nothing queued: end cb {} {}", cb_err(&e), msg(&e)));
                        f.destroy();
                        nodenet::next_tick(|| out!("nothing queued: next tick"));
                    });
                    f.on(Close, move |e| {
                        out!("nothing queued: close {e}");
                        third(port, server);
                    });
                });
            });
        },
    );
}
