//! The seed's unref() server: after the first message it is unref'd but keeps accepting (a
//! second client is served); the run ends once both clients are gone, with no 服务器关闭.
use nodenet::net::{self, Encoding, Socket, events::*};

fn client(
    port: u16,
    name: &'static str,
    text: &'static str,
    then: impl FnOnce() + 'static,
) -> Socket {
    let c = net::connect((port, "127.0.0.1"));
    c.set_encoding(Encoding::Utf8);
    c.once(Data, move |d| {
        note!(name, "data {d}");
        c.write(text);
        nodenet::set_timeout(30, then);
    });
    c.on(End, move |_| note!(name, "end"));
    c.on(Close, move |e| note!(name, "close {e}"));
    c
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, move |socket| {
        socket.write("hello");
        socket.set_encoding(Encoding::Utf8);
        socket.on(Data, move |data| {
            out!("{data}");
            server.unref();
        });
    });
    server.on(Close, |_| out!("服务器关闭"));
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let a = std::rc::Rc::new(std::cell::Cell::new(None));
        let a2 = a.clone();
        let first = client(port, "a", "123", move || {
            let b = std::rc::Rc::new(std::cell::Cell::new(None));
            let b2 = b.clone();
            let second = client(port, "b", "456", move || {
                out!("ending both");
                if let (Some(a), Some(b)) = (a2.get(), b2.get()) {
                    let (a, b): (Socket, Socket) = (a, b);
                    a.end();
                    b.end();
                }
            });
            b.set(Some(second));
        });
        a.set(Some(first));
    });
    server.listen((0, "127.0.0.1"));
}
