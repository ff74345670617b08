//! cork()/uncork(): corked writes are held (counted in writableLength, units for strings) and
//! leave in one vectored write at the last uncork, callbacks on next tick; end() while
//! corked uncorks and sends the rest with the FIN.
use nodenet::net::{self, Encoding, ServerOptions, events::*};

use super::s3_util::serve;

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            s.set_encoding(Encoding::Utf8);
            s.on(Data, |d| note!("srvSock", "data {d}"));
            s.on(End, |_| note!("srvSock", "end"));
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            c.on(Connect, move |_| {
                c.cork();
                let a = c.write_cb("ab", |_| out!("cb ab"));
                let b = c.write(b"cd");
                let e = c.write_cb("é", |_| out!("cb é"));
                out!("writes {a} {b} {e}");
                out!(
                    "corked {} {} {}",
                    c.writable_corked(),
                    c.writable_length(),
                    c.bytes_written()
                );
                c.cork();
                c.uncork();
                out!(
                    "after one uncork {} {}",
                    c.writable_corked(),
                    c.writable_length()
                );
                nodenet::set_timeout(20, move || {
                    c.uncork();
                    out!(
                        "after uncork {} {}",
                        c.writable_corked(),
                        c.writable_length()
                    );
                    nodenet::next_tick(|| out!("next tick"));
                    nodenet::set_timeout(20, move || {
                        c.cork();
                        c.cork();
                        c.write("e");
                        c.write("f");
                        c.end_with_cb("g", Encoding::Utf8, |_| out!("end cb"));
                        out!(
                            "after end {} {} {}",
                            c.writable_corked(),
                            c.writable_length(),
                            c.writable_ended()
                        );
                    });
                });
            });
            c.on(Finish, |_| out!("finish"));
            c.on(Close, move |_| {
                server.close();
            });
        },
    );
}
