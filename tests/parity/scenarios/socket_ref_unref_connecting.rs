//! ref()/unref() of a client before it connects are kept for the connection: a client
//! unref'd then ref'd holds the run until it is done (it sends `h`, the server answers 50 ms
//! later and ends); one only unref'd, never answered, does not: the run ends once the first
//! is closed, and the second never closes. The server and its accepted sockets are unref'd.
use nodenet::net::{self, events::*};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.unref();
        s.on(Data, move |_| {
            nodenet::set_timeout(50, move || {
                s.end_with("hi");
            })
            .unref();
        });
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let held = net::connect((port, "127.0.0.1"));
        held.unref();
        held.ref_();
        held.on(Connect, move |_| {
            note!("held", "connect");
            held.write("h");
            let loose = net::connect((port, "127.0.0.1"));
            loose.unref();
            loose.on(Connect, |_| note!("loose", "connect"));
            loose.on(Data, |d| note!("loose", "data {d}"));
            loose.on(Close, |h| note!("loose", "close {h}"));
        });
        held.on(Data, |d| note!("held", "data {d}"));
        held.on(End, |_| note!("held", "end"));
        held.on(Close, |h| note!("held", "close {h}"));
    });
    server.listen((0, "127.0.0.1"));
    server.unref();
}
