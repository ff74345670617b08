//! pipe() and unpipe() between sockets: `pipe` on the destination (bringing the source),
//! the listeners a pipe adds (as counts over those before it), unpipe() (`unpipe` on the
//! destination, the source paused, its data then staying buffered), a second pipe making
//! the source flow again, two destinations at once, the destination's `finish` unpiping
//! it, `{ end: false }` (the source's end unpipes instead of ending), and an error on the
//! destination unpiping it while still reaching its own `error` listener. Each step waits
//! for the bytes to arrive at a sink server, which counts them per connection.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, PipeOptions, Server, Socket, events::*};

#[derive(Default)]
struct World {
    got: RefCell<Vec<usize>>,
    waiting: RefCell<Option<Box<dyn FnMut()>>>,
    client: Cell<Option<Socket>>,
    servers: RefCell<Vec<Server>>,
}

type W = Rc<World>;

/// Run `then` once the sink's counts are `want`.
fn when_got(w: &W, want: Vec<usize>, then: impl FnOnce() + 'static) {
    let w2 = w.clone();
    let mut then = Some(then);
    let check = move || {
        let ok = {
            let got = w2.got.borrow();
            want.iter().enumerate().all(|(k, n)| got.get(k) == Some(n))
        };
        if ok && let Some(f) = then.take() {
            let line = w2
                .got
                .borrow()
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(" ");
            out!("sink got {line}");
            f();
        }
    };
    *w.waiting.borrow_mut() = Some(Box::new(check));
    poke(w);
}

fn poke(w: &W) {
    let f = w.waiting.borrow_mut().take();
    if let Some(mut f) = f {
        f();
        let mut slot = w.waiting.borrow_mut();
        if slot.is_none() {
            *slot = Some(f);
        }
    }
}

fn src_counts(s: Socket) -> [usize; 2] {
    [s.listener_count(Data), s.listener_count(End)]
}

fn dest_counts(s: Socket) -> [usize; 4] {
    [
        s.listener_count(Error),
        s.listener_count(Close),
        s.listener_count(Finish),
        s.listener_count(Drain),
    ]
}

fn delta<const N: usize>(a: [usize; N], b: [usize; N]) -> String {
    a.iter()
        .zip(b.iter())
        .map(|(x, y)| (*y as i64 - *x as i64).to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn step1(w: W, a: Socket, d1: Socket, d2: Socket) {
    for (name, d) in [("d1", d1), ("d2", d2)] {
        d.on(Pipe, move |src| out!("{name} pipe from a {}", src == a));
        d.on(Unpipe, move |src| out!("{name} unpipe from a {}", src == a));
        d.on(Finish, move |_| out!("{name} finish"));
        d.on(Close, move |h| out!("{name} close {h}"));
        d.on(Error, move |e| out!("{name} error {}", e.code()));
    }
    let s0 = src_counts(a);
    let d0 = dest_counts(d1);
    out!("pipe returns dest {}", a.pipe(d1) == d1);
    out!(
        "added on a {} on d1 {}",
        delta(s0, src_counts(a)),
        delta(d0, dest_counts(d1))
    );
    let client = w.client.get().expect("client");
    client.write("hello");
    let w2 = w.clone();
    when_got(&w, vec![5], move || {
        a.unpipe(Some(d1));
        out!(
            "after unpipe: flowing {} paused {}",
            a.readable_flowing()
                .map_or_else(|| "null".to_string(), |f| f.to_string()),
            a.is_paused()
        );
        out!(
            "left on a {} on d1 {}",
            delta(s0, src_counts(a)),
            delta(d0, dest_counts(d1))
        );
        a.unpipe(Some(d1));
        out!("second unpipe did nothing");
        client.write("more");
        nodenet::set_timeout(50, move || {
            out!("buffered {}", a.readable_length());
            a.pipe(d2);
            let w3 = w2.clone();
            when_got(&w2, vec![5, 4], move || {
                a.pipe_with(d1, PipeOptions { end: false });
                client.write("x");
                when_got(&w3, vec![6, 5], move || {
                    d2.end();
                    d2.on(Finish, move |_| {
                        out!("after d2 finish: on a {}", delta(s0, src_counts(a)));
                        client.end();
                    });
                });
            });
        });
    });
    a.on(End, move |_| {
        out!("a end; d1 writable {}", d1.writable());
        let w = w.clone();
        nodenet::set_timeout(20, move || step2(w, d1));
    });
}

/// A destination that errors: it is unpiped, and its own listener still hears the error.
fn step2(w: W, d1: Socket) {
    let servers = w.servers.borrow().clone();
    let [sink, source2, source] = servers[..] else {
        return;
    };
    let port = source2.address().map(|a| a.port()).unwrap_or(0);
    let c2 = net::connect((port, "127.0.0.1"));
    c2.on(Error, |_| {});
    source2.once(Connection, move |b| {
        let e0 = src_counts(b);
        b.pipe(d1);
        out!("b piped: on b {}", delta(e0, src_counts(b)));
        d1.destroy_with(nodenet::Error::node("ERR_TEST", "boom"));
        nodenet::set_timeout(20, move || {
            out!(
                "after d1 error: on b {} flowing {}",
                delta(e0, src_counts(b)),
                b.readable_flowing()
                    .map_or_else(|| "null".to_string(), |f| f.to_string())
            );
            c2.destroy();
            b.destroy();
            source.close();
            source2.close();
            sink.close();
        });
    });
}

pub fn scenario() {
    let w: W = Rc::default();
    let sink = net::create_server();
    let w2 = w.clone();
    sink.on(Connection, move |s| {
        let k = {
            let mut got = w2.got.borrow_mut();
            got.push(0);
            got.len() - 1
        };
        let w3 = w2.clone();
        s.on(Data, move |d| {
            w3.got.borrow_mut()[k] += d.len();
            poke(&w3);
        });
        let w3 = w2.clone();
        s.on(End, move |_| out!("sink {k} end {}", w3.got.borrow()[k]));
        s.on(Error, |_| {});
    });
    let source2 = net::create_server();
    let source = net::create_server();
    w.servers.borrow_mut().extend([sink, source2, source]);
    let w2 = w.clone();
    source.on(Connection, move |a| {
        a.on(Error, |e| out!("a error {}", e.code()));
        let port = sink.address().map(|x| x.port()).unwrap_or(0);
        let d1 = net::connect((port, "127.0.0.1"));
        let w3 = w2.clone();
        d1.on(Connect, move |_| {
            let d2 = net::connect((port, "127.0.0.1"));
            let w4 = w3.clone();
            d2.on(Connect, move |_| step1(w4.clone(), a, d1, d2));
        });
    });
    let w2 = w.clone();
    sink.on(Listening, move |_| {
        let w3 = w2.clone();
        source2.on(Listening, move |_| {
            let w4 = w3.clone();
            source.on(Listening, move |_| {
                let port = source.address().map(|x| x.port()).unwrap_or(0);
                let c = net::connect((port, "127.0.0.1"));
                c.on(Error, |_| {});
                w4.client.set(Some(c));
            });
            source.listen((0, "127.0.0.1"));
        });
        source2.listen((0, "127.0.0.1"));
    });
    sink.listen((0, "127.0.0.1"));
}
