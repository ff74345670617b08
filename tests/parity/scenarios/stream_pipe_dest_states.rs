//! Ports of Node's test-stream-pipe-same-destination-twice, test-stream-pipe-needDrain,
//! test-stream-pipe-deadlock and test-stream-pipe-unpipe-streams (its last part), on
//! sockets. Each part pipes a source S (a client of a feeder server, whose accepted end F
//! writes what S reads) into a destination D (a client of a sink server, which counts
//! what it gets per connection).
//! A: S piped into D twice: two pipes, every chunk written twice; one unpipe() removes one
//!    (S still flows, each chunk once); a second removes the other, and S pauses with the
//!    next chunk left buffered.
//! B: D corked over its highWaterMark (writableNeedDrain) when a fresh S, its data and
//!    FIN buffered and unread, is piped into it: S pauses at once (a `pause` event), and
//!    flows once D drains after the uncork: D gets S's bytes after its own, then its end.
//! C: S unpipes D from its `resume` listener (the resume the pipe asked for): S pauses
//!    again, and what F writes then stays buffered.
use std::cell::RefCell;

use nodenet::net::{self, Server, Socket, events::*};

use crate::harness::null;

type Then = Box<dyn FnOnce(Socket, Socket, Socket, usize)>;
/// What waits for the sink: its connection, the count it waits for, and what runs then.
type Waiting = Option<(usize, usize, Box<dyn FnOnce()>)>;
type Feed = Option<Box<dyn FnOnce(Socket)>>;

thread_local! {
    static GOT: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
    static WAITING: RefCell<Waiting> = const { RefCell::new(None) };
    static FEED: RefCell<Feed> = const { RefCell::new(None) };
}

fn got(k: usize) -> usize {
    GOT.with(|g| g.borrow()[k])
}

/// Run `then` once the sink's connection `k` has received `want` bytes.
fn when_got(k: usize, want: usize, then: impl FnOnce() + 'static) {
    WAITING.with(|w| *w.borrow_mut() = Some((k, want, Box::new(then))));
    poke();
}

fn poke() {
    let ready = WAITING.with(|w| {
        let mut w = w.borrow_mut();
        match &*w {
            Some((k, want, _)) if GOT.with(|g| g.borrow().get(*k) == Some(want)) => w.take(),
            _ => None,
        }
    });
    if let Some((_, _, f)) = ready {
        f();
    }
}

/// S, F and D connected, then `then(S, F, D, k)` (k: D's index at the sink).
fn pair(feeder: u16, sink: u16, then: impl FnOnce(Socket, Socket, Socket, usize) + 'static) {
    let k = GOT.with(|g| g.borrow().len());
    let left = std::rc::Rc::new(RefCell::new((
        3,
        None::<Socket>,
        Some(Box::new(then) as Then),
    )));
    let s = net::connect((feeder, "127.0.0.1"));
    let d = net::connect((sink, "127.0.0.1"));
    let one = {
        let left = left.clone();
        move || {
            let mut l = left.borrow_mut();
            l.0 -= 1;
            if l.0 == 0 {
                let f = l.1.unwrap();
                let then = l.2.take().unwrap();
                drop(l);
                then(s, f, d, k);
            }
        }
    };
    let one_f = one.clone();
    FEED.with(|x| {
        *x.borrow_mut() = Some(Box::new(move |f| {
            left.borrow_mut().1 = Some(f);
            one_f();
        }))
    });
    let one_s = one.clone();
    s.once(Connect, move |_| one_s());
    d.once(Connect, move |_| one());
    s.on(Error, |e| out!("S error {}", e.code()));
    d.on(Error, |e| out!("D error {}", e.code()));
}

fn state(s: Socket) -> String {
    format!(
        "{} {} {}",
        null(s.readable_flowing()),
        s.is_paused(),
        s.listener_count(Data)
    )
}

fn part_a(fp: u16, sp: u16, next: impl FnOnce() + 'static) {
    pair(fp, sp, move |s, f, d, k| {
        d.on(Pipe, move |src| out!("A pipe {}", src == s));
        d.on(Unpipe, move |src| out!("A unpipe {}", src == s));
        s.on(Pause, |_| out!("A pause"));
        s.on(Resume, |_| out!("A resume"));
        s.pipe(d);
        s.pipe(d);
        out!("A piped twice {}", state(s));
        f.write("abc");
        when_got(k, 6, move || {
            out!("A sink {}", got(k));
            s.unpipe(Some(d));
            out!("A unpiped once {}", state(s));
            f.write("de");
            when_got(k, 8, move || {
                out!("A sink {}", got(k));
                s.unpipe(Some(d));
                out!("A unpiped twice {}", state(s));
                f.write("fg");
                nodenet::set_timeout(40, move || {
                    out!("A left {} {}", s.readable_length(), got(k));
                    s.destroy();
                    d.destroy();
                    f.destroy();
                    next();
                });
            });
        });
    });
}

fn part_b(fp: u16, sp: u16, next: impl FnOnce() + 'static) {
    pair(fp, sp, move |s, f, d, k| {
        d.cork();
        let ret = d.write(vec![b'x'; 70000]);
        out!("B dest write {ret} {}", d.writable_need_drain());
        f.end_with("xyz");
        nodenet::set_timeout(40, move || {
            out!(
                "B source {} {} {}",
                s.readable_length(),
                null(s.readable_flowing()),
                s.readable_ended()
            );
            s.on(Pause, |_| out!("B pause"));
            s.on(Resume, |_| out!("B resume"));
            s.on(End, |_| out!("B end"));
            s.on(Close, |_| note!("S", "B close"));
            d.on(Drain, |_| out!("B drain"));
            d.on(Unpipe, |_| out!("B unpipe"));
            d.on(Finish, |_| note!("D", "B finish"));
            let mut next = Some(next);
            d.on(Close, move |_| {
                note!("D", "B close");
                let next = next.take().unwrap();
                when_got(k, 70003, move || {
                    out!("B sink {}", got(k));
                    f.destroy();
                    next();
                });
            });
            out!("B pipe {} {}", s.pipe(d) == d, state(s));
            nodenet::next_tick(move || out!("B tick {}", state(s)));
            nodenet::set_timeout(30, move || {
                out!("B uncork {}", s.readable_length());
                d.uncork();
            });
        });
    });
}

fn part_c(fp: u16, sp: u16, next: impl FnOnce() + 'static) {
    pair(fp, sp, move |s, f, d, k| {
        d.on(Unpipe, move |src| out!("C unpipe {}", src == s));
        s.on(Pause, |_| out!("C pause"));
        s.on(Resume, move |_| {
            out!("C resume {}", state(s));
            s.unpipe(Some(d));
            out!("C unpiped {}", state(s));
        });
        out!("C pipe {} {}", s.pipe(d) == d, state(s));
        f.write("late");
        nodenet::set_timeout(40, move || {
            out!("C left {} {}", s.readable_length(), got(k));
            s.destroy();
            d.destroy();
            f.destroy();
            next();
        });
    });
}

pub fn scenario() {
    let sink = net::create_server();
    sink.on(Connection, |s| {
        let k = GOT.with(|g| {
            let mut g = g.borrow_mut();
            g.push(0);
            g.len() - 1
        });
        s.on(Data, move |d| {
            GOT.with(|g| g.borrow_mut()[k] += d.len());
            poke();
        });
        s.on(End, move |_| note!(&format!("sink{k}"), "end {}", got(k)));
        s.on(Error, |_| {});
    });
    let feeder = net::create_server();
    feeder.on(Connection, |f| {
        f.on(Error, |_| {});
        if let Some(feed) = FEED.with(|x| x.borrow_mut().take()) {
            feed(f);
        }
    });
    let start = move |sink: Server, feeder: Server| {
        let sp = sink.address().map(|a| a.port()).unwrap_or(0);
        let fp = feeder.address().map(|a| a.port()).unwrap_or(0);
        part_a(fp, sp, move || {
            part_b(fp, sp, move || {
                part_c(fp, sp, move || {
                    sink.close();
                    feeder.close();
                })
            })
        });
    };
    sink.on(Listening, move |_| {
        feeder.on(Listening, move |_| start(sink, feeder));
        feeder.listen((0, "127.0.0.1"));
    });
    sink.listen((0, "127.0.0.1"));
}
