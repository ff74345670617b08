//! The seed's close() server: after the first message it stops accepting (a second client
//! is refused), the first connection carries on, and 服务器关闭 comes once it is gone.
use nodenet::net::{self, Encoding, events::*};

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, move |socket| {
        socket.write("hello");
        socket.set_encoding(Encoding::Utf8);
        socket.on(Data, move |data| {
            out!("{data}");
            server.close();
        });
    });
    server.on(Close, |_| out!("服务器关闭"));
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let a = net::connect((port, "127.0.0.1"));
        a.set_encoding(Encoding::Utf8);
        a.once(Data, move |d| {
            note!("a", "data {d}");
            a.write("哈哈");
            nodenet::set_timeout(30, move || {
                out!("a still writable {}", a.writable());
                let b = net::connect((port, "127.0.0.1"));
                b.on(Connect, |_| out!("b connect"));
                b.on(Error, |e| out!("b error {}", e.code()));
                b.on(Close, move |e| {
                    out!("b close {e}");
                    a.write("嘿嘿");
                    nodenet::set_timeout(30, move || {
                        a.end();
                    });
                });
            });
        });
        a.on(End, |_| note!("a", "end"));
        a.on(Close, |e| note!("a", "close {e}"));
    });
    server.listen((0, "127.0.0.1"));
}
