//! Port of Node's test-stream3-pause-then-read, on a socket: the server sends 9,900 bytes
//! (a pattern of i % 251) in one write and ends; the client consumes them four ways in
//! turn, and checks that every byte comes once, in order:
//! 1. read(100) from a once('readable') listener (readableFlowing false after it);
//! 2. a `data` listener added then (the socket flows once the `readable` listener is gone)
//!    that, once 100 bytes have come, removes itself, pauses and unshifts what it got past
//!    the 100th byte;
//! 3. an immediate later, read(1234) (from once('readable') if not all there yet);
//! 4. resume() and pause() five times in one go, with no consumer: five `pause` events and
//!    one `resume`, on the tick, which flows nothing (paused again by then), so no byte is
//!    lost;
//! 5. an immediate later, pipe() into a socket to a sink server, which gets the other 8,466
//!    bytes, in order, then the end. (The sink's lines are its own: their order against the
//!    client's hangs on the OS.)
use std::cell::Cell;
use std::rc::Rc;

use bytes::Bytes;
use nodenet::net::{self, Server, Socket, events::*};

const TOTAL: usize = 9900;

fn pattern(i: usize) -> u8 {
    (i % 251) as u8
}

/// What the client has consumed: the next offset and the bytes out of order.
#[derive(Default)]
struct Seen {
    pos: Cell<usize>,
    bad: Cell<usize>,
}

impl Seen {
    fn take(&self, buf: &[u8]) {
        for &b in buf {
            if b != pattern(self.pos.get()) {
                self.bad.set(self.bad.get() + 1);
            }
            self.pos.set(self.pos.get() + 1);
        }
    }
}

struct World {
    seen: Seen,
    closing: Cell<usize>,
    server: Cell<Option<Server>>,
    sink: Cell<Option<Server>>,
}

type W = Rc<World>;

fn done(w: &W) {
    w.closing.set(w.closing.get() - 1);
    if w.closing.get() == 0 {
        if let Some(s) = w.server.get() {
            s.close();
        }
        if let Some(s) = w.sink.get() {
            s.close();
        }
    }
}

fn readn(w: W, c: Socket, n: usize, then: impl FnOnce(W, Socket) + 'static) {
    match c.read(Some(n)) {
        None => {
            c.once(Readable, move |_| readn(w, c, n, then));
        }
        Some(d) => {
            w.seen.take(d.as_bytes());
            out!(
                "read({n}) {} flowing {} at {}",
                d.len(),
                crate::harness::null(c.readable_flowing()),
                w.seen.pos.get()
            );
            then(w, c);
        }
    }
}

fn on_data(w: W, c: Socket) {
    let seen = Cell::new(0usize);
    let id: Rc<Cell<Option<ListenerId>>> = Rc::default();
    let id2 = id.clone();
    let w2 = w.clone();
    let lid = c.on(Data, move |d| {
        let bytes = d.clone().into_bytes();
        seen.set(seen.get() + bytes.len());
        if seen.get() < 100 {
            w2.seen.take(&bytes);
            return;
        }
        if let Some(i) = id2.get() {
            c.off(Data, i);
        }
        c.pause();
        let diff = seen.get() - 100;
        w2.seen.take(&bytes[..bytes.len() - diff]);
        if diff > 0 {
            c.unshift(Bytes::copy_from_slice(&bytes[bytes.len() - diff..]));
        }
        out!(
            "data: took 100, at {} flowing {} paused {}",
            w2.seen.pos.get(),
            crate::harness::null(c.readable_flowing()),
            c.is_paused()
        );
        let w3 = w2.clone();
        nodenet::set_immediate(move || readn(w3, c, 1234, resume_pause));
    });
    id.set(Some(lid));
    out!(
        "data listener added, flowing {}",
        crate::harness::null(c.readable_flowing())
    );
}

fn resume_pause(w: W, c: Socket) {
    for _ in 0..5 {
        c.resume();
        c.pause();
    }
    out!(
        "toggled, flowing {} paused {}",
        crate::harness::null(c.readable_flowing()),
        c.is_paused()
    );
    nodenet::set_immediate(move || {
        out!(
            "before pipe, flowing {} at {}",
            crate::harness::null(c.readable_flowing()),
            w.seen.pos.get()
        );
        let port = w
            .sink
            .get()
            .and_then(|s| s.address())
            .map(|a| a.port())
            .unwrap_or(0);
        let d = net::connect((port, "127.0.0.1"));
        c.pipe(d);
    });
}

pub fn scenario() {
    let w: W = Rc::new(World {
        seen: Seen::default(),
        closing: Cell::new(2),
        server: Cell::new(None),
        sink: Cell::new(None),
    });
    let payload: Vec<u8> = (0..TOTAL).map(pattern).collect();

    let sink = net::create_server();
    let ws = w.clone();
    sink.on(Connection, move |k| {
        let at = Rc::new(Cell::new(ws.seen.pos.get()));
        let got = Rc::new(Cell::new(0usize));
        let wrong = Rc::new(Cell::new(0usize));
        let (a, g, r) = (at.clone(), got.clone(), wrong.clone());
        k.on(Data, move |d| {
            for &b in d.as_bytes() {
                if b != pattern(a.get()) {
                    r.set(r.get() + 1);
                }
                a.set(a.get() + 1);
            }
            g.set(g.get() + d.len());
        });
        let ws2 = ws.clone();
        k.on(End, move |_| {
            note!(
                "sink",
                "got {} out of order {} up to {}",
                got.get(),
                wrong.get(),
                at.get()
            );
            done(&ws2);
        });
    });
    w.sink.set(Some(sink));

    let server = net::create_server();
    server.on(Connection, move |s| {
        s.end_with(payload.clone());
    });
    w.server.set(Some(server));

    let w1 = w.clone();
    sink.once(Listening, move |_| {
        let w2 = w1.clone();
        server.once(Listening, move |_| {
            let port = server.address().map(|a| a.port()).unwrap_or(0);
            let c = net::connect((port, "127.0.0.1"));
            c.on(Pause, |_| out!("pause"));
            c.on(Resume, |_| out!("resume"));
            let w3 = w2.clone();
            c.on(End, move |_| {
                out!("end; out of order {}", w3.seen.bad.get())
            });
            let w4 = w2.clone();
            c.on(Close, move |e| {
                out!("close {e}");
                done(&w4);
            });
            readn(w2.clone(), c, 100, on_data);
        });
        server.listen((0, "127.0.0.1"));
    });
    sink.listen((0, "127.0.0.1"));
}
