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
use nodenet::net::{Socket, events::*};

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

pub fn scenario() {
    let at = super::parts_util::Schedule {
        world_at: 30,
        end_at: 70,
        high_water_mark: Some(0),
    };
    super::parts_util::run_parts_on(&ORDER, part, at);
}
