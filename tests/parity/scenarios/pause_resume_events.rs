//! `pause` and `resume`: pause() emits `pause` only when the socket was not paused; resume()
//! emits `resume` on its tick (once for two calls in a tick), before buffered data flows; a
//! first `data` listener's resume emits it too; a `readable` listener's socket still gets
//! the tick's `resume`, and does not flow.
use nodenet::net::{self, events::*};

use crate::harness::null;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end_with("hello");
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.on(Pause, move |_| out!("pause {}", null(c.readable_flowing())));
        c.on(Resume, move |_| {
            out!(
                "resume {} {}",
                null(c.readable_flowing()),
                c.readable_length()
            )
        });
        c.pause();
        c.pause();
        out!("paused twice {}", c.is_paused());
        nodenet::set_timeout(30, move || {
            c.resume();
            c.resume();
            nodenet::next_tick(|| out!("tick after resume"));
            c.on(Data, |d| out!("data {d}"));
        });
        c.on(End, move |_| {
            out!("end");
            let d = net::connect((port, "127.0.0.1"));
            d.on(Resume, move |_| {
                out!("d resume {}", null(d.readable_flowing()))
            });
            d.on(Pause, |_| out!("d pause"));
            d.on(Data, |x| out!("d data {x}"));
            d.on(Readable, move |_| out!("d readable {}", null(d.read(None))));
            d.resume();
            d.on(Close, move |_| {
                server.close();
            });
        });
    });
    server.listen((0, "127.0.0.1"));
}
