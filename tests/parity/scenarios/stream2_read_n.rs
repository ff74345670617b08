//! Ports of Node's test-stream2-readable-non-empty-end, test-stream2-large-read-stall,
//! test-stream2-read-correct-num-bytes-in-utf8, test-stream2-set-encoding and
//! test-stream2-base64-single-char-read-end, on sockets: read(n) in a `readable` listener
//! up to the end of the data. Each part is one connection; the server sends the part's
//! payload in one write and ends (C: in two writes 20 ms apart); the printed lines do not
//! hang on how the bytes are cut into reads.
//! A: (non-empty-end) 55 bytes; the listener reads read(54) once it can, the last byte is
//!    read 5 ms later with read() (then null): `end` comes only after it.
//! B: (large-read-stall) highWaterMark 50, 20010 bytes read with read(100) until a short
//!    read: no stall, 200 reads of 100 and the last 10 at the end; readableHighWaterMark is
//!    raised to 128 by the first read(100).
//! C: (read-correct-num-bytes-in-utf8) setEncoding('utf8'), no listener: `abc` and `déf€h`
//!    arrive as two chunks; read(5) takes `abcdé` across them, read(3) `f€h`, read(1) null.
//! D, E, F: (set-encoding) a `readable` listener reading read(n) until null: utf8 by 10
//!    characters over 21 of 1-, 2- and 3-byte ones (the last read the single one left at the
//!    end); hex by 13 over 100 bytes (15 reads, `16161` at the end); base64 by 10 over 100
//!    bytes (13 reads, `FhYQ==` at the end, after the decoder's flush at the FIN).
//! G: (base64-single-char-read-end) setEncoding('base64') on one byte, `1`, then the FIN:
//!    the decoder's flush gives `MQ==` as data before `end`; piped into the client itself,
//!    the server gets `MQ==` back, then the end.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{ConnectOptions, Encoding, Socket, events::*};

use crate::harness::null;

const ORDER: [&str; 7] = ["A", "B", "C", "D", "E", "F", "G"];

fn serve(name: &str, s: Socket) {
    match name {
        "A" => {
            s.end_with(vec![b'x'; 55]);
        }
        "B" => {
            s.end_with(vec![b'y'; 20010]);
        }
        "C" => {
            s.write("abc");
            nodenet::set_timeout(20, move || {
                s.write("déf€h");
            });
            nodenet::set_timeout(40, move || {
                s.end();
            });
        }
        "D" => {
            s.end_with("aé€".repeat(7));
        }
        "E" | "F" => {
            s.end_with(vec![b'a'; 100]);
        }
        _ => {
            s.on(Data, |d| {
                note!("server", "G got {}", String::from_utf8_lossy(d.as_bytes()))
            });
            s.on(End, |_| note!("server", "G end"));
            s.end_with("1");
        }
    }
}

/// A `readable` listener reading read(n) until null.
fn read_loop(name: &'static str, c: Socket, n: usize) {
    c.on(Readable, move |_| {
        while let Some(d) = c.read(Some(n)) {
            out!("{name} read {} {d}", d.len());
        }
    });
}

fn client(name: &'static str, c: Socket) {
    match name {
        "A" => {
            let mut got = 0usize;
            c.on(Readable, move |_| {
                if let Some(res) = c.read(Some(55usize.saturating_sub(got + 1))) {
                    got += res.len();
                    out!("A read {} left {}", res.len(), c.readable_length());
                    nodenet::set_timeout(5, move || {
                        out!("A read() {}", c.read(None).map_or(0, |d| d.len()));
                        out!("A read() again {}", null(c.read(None)));
                    });
                }
                c.read(Some(0));
            });
        }
        "B" => {
            let full = Rc::new(Cell::new(0usize));
            let total = Rc::new(Cell::new(0usize));
            out!("B hwm {}", c.readable_high_water_mark());
            let (f, t) = (full.clone(), total.clone());
            c.on(Readable, move |_| {
                while let Some(ret) = c.read(Some(100)) {
                    t.set(t.get() + ret.len());
                    if ret.len() != 100 {
                        out!("B short read {}", ret.len());
                        break;
                    }
                    f.set(f.get() + 1);
                }
            });
            c.on(End, move |_| {
                out!(
                    "B reads of 100: {} total {} hwm {}",
                    full.get(),
                    total.get(),
                    c.readable_high_water_mark()
                )
            });
        }
        "C" => {
            c.set_encoding(Encoding::Utf8);
            fn wait(c: Socket) {
                if c.readable_length() != 8 {
                    nodenet::set_timeout(2, move || wait(c));
                    return;
                }
                out!("C buffered {}", c.readable_length());
                let r = c.read(Some(5));
                out!("C read(5) {} {}", null(r), c.readable_length());
                let r = c.read(Some(3));
                out!("C read(3) {} {}", null(r), c.readable_length());
                let r = c.read(Some(1));
                out!("C read(1) {} {}", null(r), c.readable_length());
            }
            wait(c);
        }
        "D" => {
            c.set_encoding(Encoding::Utf8);
            read_loop("D", c, 10);
        }
        "E" => {
            c.set_encoding(Encoding::Hex);
            read_loop("E", c, 13);
        }
        "F" => {
            c.set_encoding(Encoding::Base64);
            read_loop("F", c, 10);
        }
        _ => {
            c.set_encoding(Encoding::Base64);
            c.on(Data, |d| out!("G data {d}"));
            c.pipe(c);
        }
    }
}

fn connect(name: &str, opts: &mut ConnectOptions) {
    if name == "B" {
        opts.high_water_mark = 50;
    }
}

pub fn scenario() {
    super::parts_util::run_parts_served(&ORDER, client, serve, connect);
}
