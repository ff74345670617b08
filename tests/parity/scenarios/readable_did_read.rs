//! Node's readableDidRead: false until a `data` event is emitted (or read() returns data,
//! which emits one): with a `data` listener, with resume() and no listener (the chunks are
//! emitted to nobody), with a `readable` listener reading, with a decoder; false on a
//! paused socket that never read, and after read(0) (which returns null).
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{Encoding, Socket, events::*};

use super::parts_util::run_parts;

fn watch(name: &'static str, c: Socket) {
    c.on(Connect, move |_| {
        out!("{name} connect {}", c.readable_did_read())
    });
    c.on(End, move |_| {
        out!("{name} at end {}", c.readable_did_read())
    });
    c.on(Close, move |_| {
        out!("{name} at close {}", c.readable_did_read())
    });
}

fn part(name: &'static str, c: Socket) {
    watch(name, c);
    match name {
        "A" => {
            c.once(Data, move |_| out!("A in data {}", c.readable_did_read()));
        }
        "B" => {
            c.pause();
            nodenet::set_timeout(80, move || {
                out!(
                    "B paused, unread {} {}",
                    c.readable_did_read(),
                    c.readable_length()
                );
                c.destroy();
            });
        }
        "C" => {
            let first = Rc::new(Cell::new(true));
            c.on(Readable, move |_| {
                if first.replace(false) {
                    out!("C readable {}", c.readable_did_read());
                    c.read(Some(0));
                    out!("C after read(0) {}", c.readable_did_read());
                }
                while c.read(None).is_some() {}
                out!("C after read() {}", c.readable_did_read());
            });
        }
        "D" => {
            c.resume();
        }
        _ => {
            c.set_encoding(Encoding::Utf8);
            c.on(Data, |_| {});
        }
    }
}

pub fn scenario() {
    run_parts(&["A", "B", "C", "D", "E"], part);
}
