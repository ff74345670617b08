//! A timer armed at the end of a callback that ran longer than the timer's delay counts from
//! when it was armed (setTimeout reads the clock), not from the poll that started the
//! callback: it is not due at once, so data that arrives meanwhile is read first.

use nodenet::net::{self, events::*};

use super::slow_util::{a_then_b, busy};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, move |s| {
        s.on(Data, move |d| {
            let text = String::from_utf8_lossy(d.as_bytes()).into_owned();
            out!("data {text}");
            if text == "a" {
                s.write("ack");
                busy(300);
                nodenet::set_timeout(200, move || {
                    out!("timer");
                    server.close();
                });
            } else {
                s.end();
            }
        });
    });
    server.on(Listening, move |_| {
        a_then_b(server.address().map(|a| a.port()).unwrap_or(0));
    });
    server.listen((0, "127.0.0.1"));
}
