//! A socket's idle timeout restarts at every read and write from the clock's time then (Node
//! refreshes its timer with a fresh `getLibuvNow()`): a write at the end of a callback that
//! ran longer than the timeout counts as activity at that moment, so the timeout does not
//! fire when the callback returns.

use nodenet::net::{self, events::*};

use super::slow_util::{a_then_b, busy};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, move |s| {
        s.set_timeout(200);
        s.on(Timeout, move |_| {
            out!("timeout");
            s.destroy();
        });
        s.on(Data, move |d| {
            let text = String::from_utf8_lossy(d.as_bytes()).into_owned();
            out!("data {text}");
            if text == "a" {
                busy(300);
                s.write("x");
            } else {
                s.end();
            }
        });
        s.on(Close, move |_| {
            out!("close");
            server.close();
        });
    });
    server.on(Listening, move |_| {
        a_then_b(server.address().map(|a| a.port()).unwrap_or(0));
    });
    server.listen((0, "127.0.0.1"));
}
