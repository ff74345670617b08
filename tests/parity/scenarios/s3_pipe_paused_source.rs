//! pipe() resumes a paused source: an accepted socket paused on connect (pauseOnConnect) and
//! piped into itself starts flowing and echoes; so does one paused with pause() before pipe.
use nodenet::net::{self, Encoding, ServerOptions, events::*};

use super::s3_util::{Count, null, serve};

fn round(port: u16, name: &'static str, then: impl FnOnce() + 'static) {
    let c = net::connect((port, "127.0.0.1"));
    c.set_encoding(Encoding::Utf8);
    c.on(Data, move |d| out!("{name} client data {d}"));
    c.end_with("hello");
    let then = std::cell::Cell::new(Some(then));
    c.on(Close, move |e| {
        out!("{name} close {e}");
        if let Some(t) = then.take() {
            t();
        }
    });
}

pub fn scenario() {
    let n = Count::default();
    serve(
        ServerOptions {
            pause_on_connect: true,
            ..Default::default()
        },
        move |s| {
            let k = n.inc();
            let name = if k == 1 {
                "pauseOnConnect:"
            } else {
                "pause():"
            };
            if k == 2 {
                s.resume();
                s.pause();
            }
            out!(
                "{name} before pipe {} {}",
                s.is_paused(),
                null(s.readable_flowing())
            );
            s.pipe(s);
            out!(
                "{name} after pipe {} {}",
                s.is_paused(),
                null(s.readable_flowing())
            );
        },
        |server, port| {
            round(port, "pauseOnConnect:", move || {
                round(port, "pause():", move || {
                    server.close();
                })
            });
        },
    );
}
