//! The `readable` event and unshift(). Each part is one connection; the server's writes
//! are 20 ms apart, so each arrives as a read of its own.
//! A: a `readable` listener reading everything with read() (its chunks also go to `data`);
//!    the end brings a last `readable`, whose read() returns null, then `end`.
//! B: read(n) for more than is buffered returns null until enough came; after the end it
//!    returns what is left.
//! C: once('readable') on a socket with a `data` listener: after it, the socket flows again.
//! D: unshift() puts bytes back in front; a flowing socket emits them at once.
//! E: a paused socket: read(n) for exactly what was left at the end brings no `end`
//!    (read() past the end would).
//! F: a `readable` listener removed with off(): the `data` listener takes over on the next
//!    tick; readableFlowing before and after.
//! G: unshift() of a string while decoding: kept in the socket's encoding (hex: the
//!    string's UTF-8 bytes in hex; UTF-8: as it is).
use nodenet::net::{Encoding, Socket, events::*};

use crate::harness::null;

const ORDER: [&str; 7] = ["A", "B", "C", "D", "E", "F", "G"];

fn part(name: &str, c: Socket) {
    match name {
        "A" => {
            c.on(Readable, move |_| {
                out!(
                    "A readable {} {}",
                    c.readable_length(),
                    null(c.readable_flowing())
                );
                nodenet::next_tick(|| out!("A tick"));
                while let Some(d) = c.read(None) {
                    out!("A read {d}");
                }
                out!("A read null {}", c.readable_length());
            });
            c.on(Data, |d| out!("A data {d}"));
        }
        "B" => {
            c.on(Readable, move |_| {
                out!("B readable {}", c.readable_length());
                while let Some(d) = c.read(Some(4)) {
                    out!("B read {d}");
                }
                out!("B null {}", c.readable_length());
            });
        }
        "C" => {
            c.on(Data, |d| out!("C data {d}"));
            c.once(Readable, move |_| {
                out!(
                    "C readable {} {}",
                    null(c.readable_flowing()),
                    c.listener_count(Readable)
                );
                nodenet::next_tick(move || out!("C tick {}", null(c.readable_flowing())));
            });
        }
        "D" => {
            let mut first = true;
            c.on(Readable, move |_| {
                let d = c.read(None);
                out!("D read {}", null(d.as_ref()));
                if let Some(d) = d
                    && first
                {
                    first = false;
                    let rest = bytes::Bytes::copy_from_slice(&d.as_bytes()[2..]);
                    out!("D unshift {} {}", c.unshift(rest), c.readable_length());
                    out!(
                        "D read again {} {}",
                        null(c.read(Some(1))),
                        c.readable_length()
                    );
                }
            });
            c.on(End, move |_| {
                out!("D unshift after end");
                out!("D ret {}", c.unshift(&b"zz"[..]));
            });
        }
        "E" => {
            c.pause();
            c.on(Data, |d| out!("E data {d}"));
            nodenet::set_timeout(10, move || {
                out!("E read {}", null(c.read(Some(100))));
                nodenet::set_timeout(90, move || {
                    out!("E len {} {}", c.readable_length(), c.readable_ended());
                    out!("E read 5 {}", null(c.read(Some(5))));
                    out!("E read exact {}", null(c.read(Some(6))));
                    nodenet::set_timeout(20, move || {
                        out!("E after {} {}", c.readable_ended(), c.readable_length());
                        c.destroy();
                    });
                });
            });
        }
        "G" => {
            c.set_encoding(Encoding::Hex);
            c.pause();
            nodenet::set_timeout(10, move || {
                out!("G unshift {} {}", c.unshift("abc"), c.readable_length());
                out!("G read {}", null(c.read(None)));
                c.set_encoding(Encoding::Utf8);
                out!("G unshift {} {}", c.unshift("é"), c.readable_length());
                out!("G read {}", null(c.read(None)));
                c.destroy();
            });
        }
        _ => {
            let f = c.on(Readable, move |_| out!("F readable {}", null(c.read(None))));
            c.on(Data, |d| out!("F data {d}"));
            nodenet::set_timeout(30, move || {
                out!("F off {}", null(c.readable_flowing()));
                c.off(Readable, f);
                out!("F flowing {}", null(c.readable_flowing()));
                nodenet::next_tick(move || out!("F tick {}", null(c.readable_flowing())));
            });
        }
    }
}

pub fn scenario() {
    super::parts_util::run_parts(&ORDER, part);
}
