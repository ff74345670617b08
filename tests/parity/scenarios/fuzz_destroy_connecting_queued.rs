//! Found by the differential test (fuzz_socket): writes queued while connecting, then a
//! destroy. The writes stay counted in writableLength at `close`; after it the first one
//! (here without a callback) fails with ERR_SOCKET_CLOSED_BEFORE_CONNECTION and the ones
//! behind it with the destroy's error, or with that same code when the destroy has none.
use nodenet::net::{self, events::*};

use super::s3_util::cb_err;

fn client(port: u16, name: &'static str, err: bool, then: impl FnOnce() + 'static) {
    let c = net::connect((port, "127.0.0.1"));
    c.on(Error, move |e| {
        out!("{name} error {} length {}", e.code(), c.writable_length())
    });
    let mut then = Some(then);
    c.on(Close, move |h| {
        out!("{name} close {h} length {}", c.writable_length());
        nodenet::next_tick(move || out!("{name} after close: length {}", c.writable_length()));
        if let Some(t) = then.take() {
            nodenet::set_timeout(10, t);
        }
    });
    out!("{name} write a {}", c.write("aaa"));
    out!(
        "{name} write b {}",
        c.write_cb("bb", move |e| out!("{name} cb b {}", cb_err(&e)))
    );
    out!(
        "{name} write c {}",
        c.write_cb("c", move |e| out!("{name} cb c {}", cb_err(&e)))
    );
    if err {
        c.destroy_with(nodenet::Error::node("ERR_TEST", "boom"));
    } else {
        c.destroy();
    }
    out!("{name} destroyed: length {}", c.writable_length());
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.resume();
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        client(port, "plain", false, move || {
            client(port, "with error", true, move || {
                server.close();
            })
        });
    });
    server.listen((0, "127.0.0.1"));
}
