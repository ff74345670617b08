//! The seed's first program: a server that prints `hello` for every connection.
//!
//! `cargo run --example seed_hello [PORT]` (default 3000), then `nc 127.0.0.1 3000`.
use nodenet::net::{self, events::*};

fn main() -> nodenet::Result<()> {
    let port = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(3000);
    nodenet::run(move || {
        let server = net::create_server();
        server.on(Connection, |_socket| {
            println!("hello");
        });
        server.listen(port);
    })
}
