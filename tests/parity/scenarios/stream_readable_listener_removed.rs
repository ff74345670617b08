//! Ports of Node's test-stream-readable-readable-then-resume, -data, -pause-and-resume (its
//! second part), -emittedReadable and -needReadable, on sockets. Each part is one
//! connection; the server writes `hello`, `world!` 20 ms later, and ends at 60 ms, so each
//! write arrives as a read of its own.
//! A: a `readable` listener added and removed, then resume() in the same tick: the socket
//!    flows from the resume's tick (readableFlowing false until then), every chunk as data.
//! B: setEncoding, a `readable` listener added and removed, then pause() (no `pause` event:
//!    the listener had set readableFlowing false): isPaused() still true on the next tick,
//!    but that tick sets readableFlowing back to null, so a `data` listener added later
//!    (45 ms, both chunks buffered) makes the socket flow.
//! C: a `readable` listener added and removed, then a `data` listener on the next tick:
//!    the socket flows.
//! D: a `readable` listener that never reads: one `readable` per chunk and one at the end
//!    of data, no `end` until a read() 40 ms after the FIN takes everything.
//! E: a `readable` listener that only calls read(0): the same, with the state read(0)
//!    leaves; a read() at the end brings `end`.
use nodenet::net::{Encoding, Socket, events::*};

use crate::harness::null;

const ORDER: [&str; 5] = ["A", "B", "C", "D", "E"];

fn part(name: &str, c: Socket) {
    match name {
        "A" => {
            let f = c.on(Readable, |_| out!("A readable"));
            c.on(Data, |d| out!("A data {d}"));
            c.off(Readable, f);
            out!("A off {} {}", null(c.readable_flowing()), c.is_paused());
            c.resume();
            out!("A resumed {} {}", null(c.readable_flowing()), c.is_paused());
            c.on(Resume, move |_| {
                out!("A resume event {}", null(c.readable_flowing()))
            });
            nodenet::next_tick(move || {
                out!("A tick {} {}", null(c.readable_flowing()), c.is_paused())
            });
        }
        "B" => {
            c.set_encoding(Encoding::Utf8);
            let f = c.on(Readable, |_| out!("B readable"));
            c.off(Readable, f);
            c.on(Pause, |_| out!("B pause event"));
            c.on(Resume, |_| out!("B resume event"));
            c.pause();
            out!("B paused {} {}", null(c.readable_flowing()), c.is_paused());
            nodenet::next_tick(move || {
                out!("B tick {} {}", null(c.readable_flowing()), c.is_paused())
            });
            nodenet::set_timeout(45, move || {
                c.on(Data, |d| out!("B data {d}"));
                out!(
                    "B data on {} {} {}",
                    null(c.readable_flowing()),
                    c.is_paused(),
                    c.readable_length()
                );
                nodenet::set_timeout(10, move || {
                    out!("B resume {}", c.readable_length());
                    c.resume();
                });
            });
        }
        "C" => {
            let f = c.on(Readable, |_| out!("C readable"));
            c.off(Readable, f);
            out!("C off {}", null(c.readable_flowing()));
            nodenet::next_tick(move || {
                out!("C tick {}", null(c.readable_flowing()));
                c.on(Data, |d| out!("C data {d}"));
                out!("C data on {}", null(c.readable_flowing()));
            });
        }
        "D" => {
            c.on(Readable, move |_| {
                out!(
                    "D readable {} {}",
                    c.readable_length(),
                    null(c.readable_flowing())
                )
            });
            c.on(Data, |d| out!("D data {d}"));
            nodenet::set_timeout(100, move || {
                out!("D late {} {}", c.readable_length(), c.readable_ended());
                out!("D read {}", null(c.read(None)));
                out!("D read again {}", null(c.read(None)));
            });
        }
        _ => {
            let mut n = 0;
            c.on(Readable, move |_| {
                n += 1;
                let before = c.readable_length();
                let got = c.read(Some(0));
                out!("E readable {before} {} {}", null(got), c.readable_length());
                if n > 8 {
                    c.destroy();
                }
            });
            nodenet::set_timeout(100, move || {
                out!("E late {} {}", c.readable_length(), c.readable_ended());
                out!("E read {}", null(c.read(None)));
            });
        }
    }
}

pub fn scenario() {
    super::parts_util::run_parts(&ORDER, part);
}
