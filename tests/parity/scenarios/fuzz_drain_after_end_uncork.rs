//! Found by the differential test (fuzz_socket): end() on a corked socket whose writes
//! passed the highWaterMark sends them (it uncorks first), and no `drain` follows: the
//! writes complete inside end(), and by the time their completion is handled the socket
//! is ending, which rules a drain out. The write callbacks, `finish` and the end callback
//! come as usual.
use nodenet::net::{self, events::*};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.resume();
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.on(Connect, move |_| {
            c.cork();
            out!("write small {}", c.write_cb("x", |_| out!("cb small")));
            out!(
                "write big {}",
                c.write_cb(vec![b'x'; 70000], |_| out!("cb big"))
            );
            out!(
                "needDrain {} length {}",
                c.writable_need_drain(),
                c.writable_length()
            );
            c.end_cb(|| out!("end cb"));
            out!(
                "after end: needDrain {} length {}",
                c.writable_need_drain(),
                c.writable_length()
            );
        });
        c.on(Drain, |_| out!("drain"));
        c.on(Finish, |_| out!("finish"));
        c.on(Close, move |h| {
            out!("close {h}");
            server.close();
        });
    });
    server.listen((0, "127.0.0.1"));
}
