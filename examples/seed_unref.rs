//! The seed's `unref()` program: after the first message the server is unref'd; it keeps
//! accepting, and the process exits once the last client has gone.
//!
//! `cargo run --example seed_unref [PORT]` (default 3000).
use nodenet::net::{self, Encoding, events::*};

fn main() -> nodenet::Result<()> {
    let port = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(3000);
    nodenet::run(move || {
        let server = net::create_server();
        server.on(Connection, move |socket| {
            socket.write("hello");
            socket.set_encoding(Encoding::Utf8);
            socket.on(Data, move |data| {
                println!("{data}");
                server.unref();
            });
        });
        server.on(Close, |_| println!("服务器关闭"));
        server.listen(port);
    })
}
