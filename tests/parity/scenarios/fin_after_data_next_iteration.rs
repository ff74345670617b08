//! Data and the peer's FIN that arrive together are read in two loop iterations, as
//! libuv's reads stop at a short read and its level-triggered poll reports the socket
//! again: `data` in one, `end` in the next, after the first one's immediates.
use std::time::Duration;

use nodenet::net::{self, events::*};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end_with("hello");
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        // Both arrive while the client's loop is busy in its connect listener.
        let c = net::connect((port, "127.0.0.1"));
        c.on(Connect, |_| std::thread::sleep(Duration::from_millis(30)));
        c.on(Data, |d| {
            out!("data {}", d.len());
            nodenet::set_immediate(|| out!("immediate"));
            nodenet::next_tick(|| out!("tick"));
        });
        c.on(End, |_| out!("end"));
        c.on(Close, move |_| {
            out!("close");
            server.close_cb(|_| out!("server closed"));
        });
    });
    server.listen((0, "127.0.0.1"));
}
