//! A raw-`net` HTTP hello responder: answers every request (each `\r\n\r\n`) with one fixed
//! response, keep-alive, pipelining-aware. Port as the first argument (default 8080).
//!
//! `cargo run --release --example http_hello -- 8080`, then `wrk http://127.0.0.1:8080/`.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, events::*};

/// The fixed response.
pub const RESPONSE: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nhello world\n";

/// Count request ends (`\r\n\r\n`) in `data`, given how many bytes of the terminator the
/// previous chunk ended with; returns (count, matched-so-far).
pub fn count_requests(data: &[u8], mut matched: usize) -> (usize, usize) {
    const END: &[u8] = b"\r\n\r\n";
    let mut n = 0;
    for &b in data {
        if b == END[matched] {
            matched += 1;
            if matched == END.len() {
                n += 1;
                matched = 0;
            }
        } else {
            matched = usize::from(b == b'\r');
        }
    }
    (n, matched)
}

/// Serve HTTP hello on `server`.
pub fn serve(server: net::Server) {
    server.on(Connection, |socket| {
        socket.set_no_delay(true);
        let matched = Rc::new(Cell::new(0));
        socket.on(Data, move |chunk| {
            let (n, m) = count_requests(chunk.as_bytes(), matched.get());
            matched.set(m);
            if n == 1 {
                socket.write(bytes::Bytes::from_static(RESPONSE));
            } else if n > 1 {
                socket.write(RESPONSE.repeat(n));
            }
        });
        socket.on(Error, |_| {});
    });
}

#[allow(dead_code)]
fn main() -> nodenet::Result<()> {
    let port = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(8080);
    nodenet::run(move || {
        let server = net::create_server();
        serve(server);
        server.on(Listening, move |_| {
            println!(
                "listening {}",
                server.address().map(|a| a.port()).unwrap_or(0)
            );
        });
        server.listen((port, "127.0.0.1"));
    })
}
