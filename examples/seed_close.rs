//! The seed's `close()` program: after the first message the server stops accepting;
//! open connections carry on, and `服务器关闭` is printed once they are all gone.
//!
//! `cargo run --example seed_close [PORT]` (default 3000).
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
                server.close();
            });
        });
        server.on(Close, |_| println!("服务器关闭"));
        server.listen(port);
    })
}
