//! Ports of Node's test-stream2-unpipe-leak and test-stream2-unpipe-drain, on sockets. Two
//! sources S1 and S2 (clients of a feeder server, whose accepted ends F1 and F2 write what
//! they read) and a destination D (a client of a sink server, which counts what it gets).
//! Leak: S1.pipe(D) then S1.unpipe(D), ten times: ten `pipe` and ten `unpipe` events on D,
//!   and no listener left behind on S1 (data, end, readable, close, error) or on D (unpipe,
//!   drain, error, close, finish); S1 paused.
//! Drain: S1 piped into D; D corked over its highWaterMark (64 KiB) by a write of its own (false);
//!   `hello` from F1 flows into D, whose write returns false: S1 pauses (awaiting D's
//!   drain). S2 piped into D then pauses at once (D needs a drain), and F2's `world` stays
//!   in S2. S1.unpipe(D) while both await the drain: S1 stays paused (no `data` listener is
//!   left to resume it) and S2 still waits, with D's drain listener kept for it; F1's
//!   `again` stays in S1. D.uncork(): D's drain resumes S2 alone, `world` reaches the sink
//!   after D's bytes and `hello`, S1 keeps `again`; F2's end ends S2 and, through the pipe,
//!   D.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, Server, Socket, events::*};

use crate::harness::null;

type Check = Box<dyn FnMut() -> bool>;

thread_local! {
    static FEEDS: RefCell<Vec<Socket>> = const { RefCell::new(Vec::new()) };
    static GOT: Cell<usize> = const { Cell::new(0) };
    static WAITING: RefCell<Option<Check>> = const { RefCell::new(None) };
    static CLOSING: Cell<usize> = const { Cell::new(2) };
    static SERVERS: RefCell<Vec<Server>> = const { RefCell::new(Vec::new()) };
}

/// Run the waiting check; it is dropped once it returns true.
fn poke() {
    let f = WAITING.with(|w| w.borrow_mut().take());
    if let Some(mut f) = f
        && !f()
    {
        WAITING.with(|w| {
            let mut slot = w.borrow_mut();
            if slot.is_none() {
                *slot = Some(f);
            }
        });
    }
}

/// Run `then` once `cond` holds, checked at each of the sink's and the feeder's events.
fn wait_until(cond: impl Fn() -> bool + 'static, then: impl FnOnce() + 'static) {
    let mut then = Some(then);
    let check = move || {
        if cond() {
            if let Some(t) = then.take() {
                t();
            }
            true
        } else {
            false
        }
    };
    WAITING.with(|w| *w.borrow_mut() = Some(Box::new(check)));
    poke();
}

/// Some conditions change on no event of the sink's or the feeder's: poll those.
fn poll(cond: impl Fn() -> bool + 'static, then: impl FnOnce() + 'static) {
    if cond() {
        then();
        return;
    }
    nodenet::set_timeout(2, move || poll(cond, then));
}

fn done() {
    let left = CLOSING.with(|c| {
        c.set(c.get() - 1);
        c.get()
    });
    if left == 0 {
        SERVERS.with(|s| {
            for server in s.borrow().iter() {
                server.close();
            }
        });
    }
}

fn src_counts(s: Socket) -> [usize; 5] {
    [
        s.listener_count(Data),
        s.listener_count(End),
        s.listener_count(Readable),
        s.listener_count(Close),
        s.listener_count(Error),
    ]
}

fn dest_counts(d: Socket) -> [usize; 5] {
    [
        d.listener_count(Unpipe),
        d.listener_count(Drain),
        d.listener_count(Error),
        d.listener_count(Close),
        d.listener_count(Finish),
    ]
}

/// While a pipe holds: Node's pipe also adds an `unpipe` listener to the destination,
/// nodenet's does not (it removes the pipe's listeners itself, see `Socket::unpipe`), so
/// that count is left out.
fn held_counts(d: Socket) -> [usize; 4] {
    [
        d.listener_count(Drain),
        d.listener_count(Error),
        d.listener_count(Close),
        d.listener_count(Finish),
    ]
}

fn delta<const N: usize>(a: [usize; N], b: [usize; N]) -> String {
    a.iter()
        .zip(b.iter())
        .map(|(x, y)| (*y as isize - *x as isize).to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn leak(s1: Socket, d: Socket) {
    let pipes = Rc::new(Cell::new(0));
    let unpipes = Rc::new(Cell::new(0));
    let (p, u) = (pipes.clone(), unpipes.clone());
    d.on(Pipe, move |_| p.set(p.get() + 1));
    d.on(Unpipe, move |_| u.set(u.get() + 1));
    let s0 = src_counts(s1);
    let d0 = dest_counts(d);
    for _ in 0..10 {
        s1.pipe(d);
        s1.unpipe(Some(d));
    }
    out!(
        "leak: pipe events {} unpipe events {}",
        pipes.get(),
        unpipes.get()
    );
    out!(
        "leak: left on S1 {} on D {}",
        delta(s0, src_counts(s1)),
        delta(d0, dest_counts(d))
    );
    out!(
        "leak: S1 flowing {} paused {}",
        null(s1.readable_flowing()),
        s1.is_paused()
    );
    d.remove_all_listeners(Pipe);
    d.remove_all_listeners(Unpipe);
}

fn drain(s1: Socket, s2: Socket, d: Socket, f1: Socket, f2: Socket) {
    let d0 = held_counts(d);
    s1.on(Pause, |_| out!("S1 pause"));
    s1.on(Resume, |_| out!("S1 resume"));
    s2.on(Pause, |_| out!("S2 pause"));
    s2.on(Resume, |_| out!("S2 resume"));
    d.on(Drain, |_| out!("D drain"));
    s1.pipe(d);
    d.cork();
    let ret = d.write(vec![b'd'; 70000]);
    out!("D write 70000 {ret} needDrain {}", d.writable_need_drain());
    f1.write("hello");
    poll(
        move || s1.bytes_read() == 5 && s1.is_paused(),
        move || {
            out!(
                "S1 got hello: flowing {} D writableLength {}",
                null(s1.readable_flowing()),
                d.writable_length()
            );
            s2.pipe(d);
            out!("S2 piped: flowing {}", null(s2.readable_flowing()));
            f2.write("world");
            poll(
                move || s2.bytes_read() == 5,
                move || {
                    out!("S2 buffered {}", s2.readable_length());
                    s1.unpipe(Some(d));
                    out!(
                        "S1 unpiped: S1 flowing {} S2 flowing {}",
                        null(s1.readable_flowing()),
                        null(s2.readable_flowing())
                    );
                    out!("held on D {}", delta(d0, held_counts(d)));
                    f1.write("again");
                    poll(
                        move || s1.bytes_read() == 10,
                        move || {
                            out!("S1 buffered {}", s1.readable_length());
                            d.uncork();
                            wait_until(
                                || GOT.with(|g| g.get()) == 70010,
                                move || {
                                    out!(
                                        "sink got {} S1 buffered {} S2 flowing {}",
                                        GOT.with(|g| g.get()),
                                        s1.readable_length(),
                                        null(s2.readable_flowing())
                                    );
                                    s2.on(End, |_| out!("S2 end"));
                                    d.on(Finish, |_| out!("D finish"));
                                    f2.end();
                                    s1.destroy();
                                },
                            );
                        },
                    );
                },
            );
        },
    );
}

pub fn scenario() {
    let feeder = net::create_server();
    feeder.on(Connection, |f| {
        f.on(Error, |_| {});
        FEEDS.with(|v| v.borrow_mut().push(f));
        poke();
    });
    let sink = net::create_server();
    sink.on(Connection, |k| {
        k.on(Data, |d| {
            GOT.with(|g| g.set(g.get() + d.len()));
            poke();
        });
        k.on(End, |_| {
            note!("sink", "end {}", GOT.with(|g| g.get()));
            done();
        });
    });
    SERVERS.with(|s| s.borrow_mut().extend([feeder, sink]));
    sink.once(Listening, move |_| {
        feeder.once(Listening, move |_| {
            let fport = feeder.address().map(|a| a.port()).unwrap_or(0);
            let sport = sink.address().map(|a| a.port()).unwrap_or(0);
            let s1 = net::connect((fport, "127.0.0.1"));
            s1.on(Connect, move |_| {
                let s2 = net::connect((fport, "127.0.0.1"));
                s2.on(Connect, move |_| {
                    let d = net::connect((sport, "127.0.0.1"));
                    d.on(Close, |_| done());
                    d.on(Connect, move |_| {
                        wait_until(
                            || FEEDS.with(|v| v.borrow().len()) == 2,
                            move || {
                                leak(s1, d);
                                let (f1, f2) = FEEDS.with(|v| (v.borrow()[0], v.borrow()[1]));
                                drain(s1, s2, d, f1, f2);
                            },
                        );
                    });
                });
            });
        });
        feeder.listen((0, "127.0.0.1"));
    });
    sink.listen((0, "127.0.0.1"));
}
