//! A socket's idle timeout over 2^31 - 1 ms (Node's getTimerDuration): cut to 2^31 - 1
//! with a `TimeoutOverflowWarning` on the next tick, from the connect's `timeout` option
//! and from `set_timeout` alike, while `timeout` reads the time given; no `timeout` event
//! comes soon (the timer is not the 1 ms a plain timer's overflow gives). A later
//! `set_timeout(30)` brings one.
use nodenet::net::{self, ConnectOptions, events::*};

use crate::harness::undef;

pub fn scenario() {
    nodenet::process::on_warning(|w| out!("warning {} {}", w.name, w.message.replace('\n', " / ")));
    let server = net::create_server();
    server.on(Connection, |c| {
        c.on(Close, |_| out!("server side closed"));
    });
    server.on(Listening, move |_| {
        let port = server.address().map_or(0, |a| a.port());
        let mut opts = ConnectOptions::from((port, "127.0.0.1"));
        opts.timeout = Some(1 << 31);
        let s = net::connect(opts);
        out!("connecting, timeout {}", undef(s.timeout()));
        s.on(Timeout, move |_| {
            out!("timeout event, timeout {}", undef(s.timeout()));
            s.destroy();
            server.close_cb(|_| out!("server closed"));
        });
        s.on(Connect, move |_| {
            out!("connected");
            s.set_timeout((1 << 31) + 5);
            out!("set 2^31 + 5, timeout {}", undef(s.timeout()));
            nodenet::set_timeout(50, move || {
                out!("50 ms later");
                s.set_timeout(30);
            });
        });
    });
    server.listen((0, "127.0.0.1"));
}
