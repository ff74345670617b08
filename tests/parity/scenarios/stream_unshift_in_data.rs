//! Ports of Node's test-stream-readable-add-chunk-during-data, test-stream-readable-unshift
//! (its last part) and test-stream-unshift-empty-chunk, on sockets. Each part is one
//! connection; the server writes `hello`, `world!` 20 ms later, and ends at 60 ms, so each
//! write arrives as a read of its own.
//! A: a once('data') listener unshifts the chunk it got (buffered: no `data` listener is
//!    left), then adds a `data` listener: the chunk comes again on the next tick.
//! B: a once('readable') listener reads the first chunk, unshifts `a`, and adds a `data`
//!    listener: `a` flows first.
//! C: a `readable` listener reading until null, unshifting five bytes after each chunk of
//!    the server's and an empty chunk after each of its own: each unshifted chunk is read
//!    back in the same loop, the empty ones change nothing.
//! D: (test-stream-unshift-read-race) a `readable` listener reading read(4) until null and
//!    unshifting `12` after each read of more than two bytes, up to after the end of data:
//!    read(4) returns what is left (3 bytes) once the FIN came, the unshift after it is
//!    still read, and `end` waits for it.
use bytes::Bytes;
use nodenet::net::{Socket, events::*};

use crate::harness::null;

const ORDER: [&str; 4] = ["A", "B", "C", "D"];

fn part(name: &str, c: Socket) {
    match name {
        "A" => {
            c.once(Data, move |d| {
                out!("A once data {d} {}", c.readable_length());
                let ret = c.unshift(d.clone());
                out!(
                    "A unshift {ret} {} {}",
                    c.readable_length(),
                    null(c.readable_flowing())
                );
                c.on(Data, move |e| out!("A data {e} {}", c.readable_length()));
                nodenet::next_tick(move || out!("A tick {}", c.readable_length()));
            });
        }
        "B" => {
            c.once(Readable, move |_| {
                out!("B read {}", null(c.read(None)));
                let ret = c.unshift("a");
                out!(
                    "B unshift {ret} {} {}",
                    c.readable_length(),
                    null(c.readable_flowing())
                );
                c.on(Data, |d| out!("B data {d}"));
                out!("B data on {}", null(c.readable_flowing()));
            });
        }
        "C" => {
            let mut mine = false;
            c.on(Readable, move |_| {
                out!("C readable {}", c.readable_length());
                while let Some(d) = c.read(None) {
                    out!("C read {d}");
                    let put = Bytes::from(vec![b'y'; if mine { 0 } else { 5 }]);
                    let ret = c.unshift(put);
                    out!("C unshift {ret} {}", c.readable_length());
                    mine = !mine;
                }
                out!("C null {}", c.readable_length());
            });
        }
        _ => {
            c.on(Readable, move |_| {
                out!("D readable {}", c.readable_length());
                while let Some(d) = c.read(Some(4)) {
                    out!("D read {}", String::from_utf8_lossy(d.as_bytes()));
                    if d.len() > 2 {
                        let ret = c.unshift("12");
                        out!("D unshift {ret} {}", c.readable_length());
                    }
                }
                out!("D null {} {}", c.readable_length(), c.readable_ended());
            });
        }
    }
}

pub fn scenario() {
    super::parts_util::run_parts(&ORDER, part);
}
