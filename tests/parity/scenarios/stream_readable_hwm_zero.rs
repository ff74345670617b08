//! Ports of Node's test-stream-readable-hwm-0, -hwm-0-async and -hwm-0-no-flow-data, on
//! sockets: clients with highWaterMark 0. Each part is one connection; the server writes
//! `hello`, `world!` 30 ms later, and ends at 70 ms, so each write arrives as a read of its
//! own.
//! A: a `readable` and a `data` listener, reads only from timers: a socket with
//!    highWaterMark 0 stops reading the kernel once it holds a chunk, so a read() takes
//!    `hello` alone (then reads again), a later one `world!`, and the end's `readable` and
//!    a read() returning null bring `end`.
//! B: flowing with a `data` listener: every chunk, then `end`.
//! C: paused from the start: bytesRead stays at the first chunk while it is not read;
//!    read(0) and read() each let it read on.
use nodenet::net::{self, ConnectOptions, Server, Socket, events::*};

use crate::harness::null;

const ORDER: [&str; 3] = ["A", "B", "C"];

fn part(name: &str, c: Socket) {
    match name {
        "A" => {
            c.on(Readable, move |_| {
                out!("A readable {} {}", c.readable_length(), c.bytes_read())
            });
            c.on(Data, |d| out!("A data {d}"));
            out!("A flowing {}", null(c.readable_flowing()));
            let two_reads = move || {
                for _ in 0..2 {
                    let d = c.read(None);
                    out!("A read {} {}", null(d), c.bytes_read());
                }
            };
            nodenet::set_timeout(50, two_reads);
            nodenet::set_timeout(100, two_reads);
        }
        "B" => {
            c.on(Data, move |d| out!("B data {d} {}", c.readable_length()));
        }
        _ => {
            c.pause();
            nodenet::set_timeout(50, move || {
                out!("C at 50 {} {}", c.readable_length(), c.bytes_read());
                let d = c.read(Some(0));
                out!("C read 0 {} {}", null(d), c.readable_length());
                nodenet::set_timeout(10, move || {
                    out!("C after read 0 {} {}", c.readable_length(), c.bytes_read());
                    let d = c.read(None);
                    out!("C read {} {}", null(d), c.readable_length());
                    nodenet::set_timeout(40, move || {
                        out!(
                            "C after read {} {} {}",
                            c.readable_length(),
                            c.bytes_read(),
                            c.readable_ended()
                        );
                        let d = c.read(None);
                        out!("C read {} {}", null(d), c.readable_length());
                        c.resume();
                    });
                });
            });
        }
    }
}

fn next(server: Server, port: u16, i: usize) {
    let Some(name) = ORDER.get(i) else {
        server.close();
        return;
    };
    let c = net::connect(ConnectOptions {
        high_water_mark: 0,
        ..(port, "127.0.0.1").into()
    });
    part(name, c);
    c.on(End, move |_| out!("{name} end"));
    c.on(Error, move |e| out!("{name} error {}", e.code()));
    c.on(Close, move |_| {
        out!("{name} close");
        next(server, port, i + 1);
    });
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.on(Error, |_| {});
        s.write("hello");
        nodenet::set_timeout(30, move || {
            s.write("world!");
        });
        nodenet::set_timeout(70, move || {
            s.end();
        });
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        next(server, port, 0);
    });
    server.listen((0, "127.0.0.1"));
}
