//! Node drains the next-tick queue after every callback it makes from native code, and
//! libuv makes some in a loop within one event: one per socket a listener accepts, one per
//! chunk a socket reads. A tick queued by one of them runs before the next. So do the
//! failure of a write a close cancels and the close itself, in the close phase.
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use nodenet::net::{self, Server, events::*};

fn reader(server: Server, port: u16) {
    let chunks = Rc::new(Cell::new(0u32));
    let tick_due = Rc::new(Cell::new(false));
    let ticks_between = Rc::new(Cell::new(true));
    let c = net::connect((port, "127.0.0.1"));
    c.on(Connect, |_| std::thread::sleep(Duration::from_millis(30)));
    let (n, due, between) = (chunks.clone(), tick_due.clone(), ticks_between.clone());
    c.on(Data, move |_| {
        n.set(n.get() + 1);
        if due.get() {
            between.set(false);
        }
        due.set(true);
        let due = due.clone();
        nodenet::next_tick(move || due.set(false));
    });
    c.on(End, move |_| {
        out!(
            "end: more than one chunk {} tick between every two {}",
            chunks.get() > 1,
            ticks_between.get()
        );
        cancelled(server, port);
    });
}

/// A write the peer never reads, in flight when the socket is destroyed: its callback, the
/// one behind it and the end callback fail in the close phase, their ticks before `close`.
fn cancelled(server: Server, port: u16) {
    let c = net::connect((port, "127.0.0.1"));
    let cb = |what: &'static str| {
        move |e: Option<nodenet::Error>| {
            out!(
                "{what} {}",
                e.map_or("undefined".into(), |e| e.code().to_string())
            );
            nodenet::next_tick(move || out!("tick {what}"));
        }
    };
    c.on(Connect, move |_| {
        c.write_cb(vec![0u8; 32 << 20], cb("write"));
        c.write_cb(vec![0u8; 10], cb("write behind"));
        c.end_then(cb("end"));
        nodenet::set_timeout(30, move || {
            c.destroy();
        });
    });
    c.on(Close, move |_| {
        out!("close");
        server.close_cb(|_| out!("server closed"));
    });
}

pub fn scenario() {
    let server = net::create_server();
    let accepted = Rc::new(Cell::new(0u32));
    server.on(Connection, move |s| {
        accepted.set(accepted.get() + 1);
        let n = accepted.get();
        out!("connection {n}");
        nodenet::next_tick(move || out!("tick {n}"));
        if n <= 4 {
            s.destroy();
        } else if n == 5 {
            s.end_with(vec![1u8; 300_000]);
        } else {
            s.pause();
        }
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        // Four connects that wait in the accept queue together: the loop is busy here.
        let closed = Rc::new(Cell::new(0u32));
        for _ in 0..4 {
            let closed = closed.clone();
            net::connect((port, "127.0.0.1")).on(Close, move |_| {
                closed.set(closed.get() + 1);
                if closed.get() == 4 {
                    reader(server, port);
                }
            });
        }
        std::thread::sleep(Duration::from_millis(50));
    });
    server.listen((0, "127.0.0.1"));
}
