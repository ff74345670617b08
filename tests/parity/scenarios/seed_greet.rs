//! The seed's second server (greet with `hello`, print what arrives as UTF-8), driven by a
//! client that reads the greeting, sends 哈哈, then 嘿嘿 30 ms later, and ends 30 ms after that.
use nodenet::net::{self, Encoding, events::*};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |socket| {
        socket.write("hello");
        socket.set_encoding(Encoding::Utf8);
        socket.on(Data, |data| out!("{data}"));
        socket.on(Close, |e| note!("srvSock", "close {e}"));
    });
    server.on(Close, |_| out!("server close"));
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.on(Data, move |d| {
            note!("client", "data {d}");
            c.write("哈哈");
            nodenet::set_timeout(30, move || {
                c.write("嘿嘿");
                nodenet::set_timeout(30, move || {
                    c.end();
                });
            });
        });
        c.on(End, |_| note!("client", "end"));
        c.on(Close, move |e| {
            note!("client", "close {e}");
            server.close();
        });
    });
    server.listen((0, "127.0.0.1"));
}
