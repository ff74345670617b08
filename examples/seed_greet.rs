//! The seed's second program: greet each client with `hello`, print what it sends.
//!
//! `cargo run --example seed_greet [PORT]` (default 3000).
use nodenet::net::{self, Encoding, events::*};

fn main() -> nodenet::Result<()> {
    let port = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(3000);
    nodenet::run(move || {
        let server = net::create_server();
        server.on(Connection, |socket| {
            socket.write("hello");
            socket.set_encoding(Encoding::Utf8);
            socket.on(Data, |data| println!("{data}"));
        });
        server.listen(port);
    })
}
