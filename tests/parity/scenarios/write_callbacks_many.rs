//! 50,000 writes of 11 bytes with callbacks, made at once on connect, then end() (test-net-
//! write-callbacks): every callback runs once, in write order, all before finish and the end
//! callback; no drain (end() came first); the peer gets every byte and then its end.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, events::*};

const N: usize = 50_000;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, move |s| {
        let got = Rc::new(Cell::new(0usize));
        let g = got.clone();
        s.on(Data, move |d| g.set(g.get() + d.len()));
        s.on(End, move |_| {
            note!("server", "end {} {}", got.get(), got.get() == N * 11);
            s.destroy();
            server.close();
        });
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        let calls = Rc::new(Cell::new(0usize));
        let in_order = Rc::new(Cell::new(true));
        let twice = Rc::new(Cell::new(0u32));
        let drains = Rc::new(Cell::new(0u32));
        let (ca, io, tw) = (calls.clone(), in_order.clone(), twice.clone());
        c.on(Connect, move |_| {
            for i in 0..N {
                let called = Rc::new(Cell::new(false));
                let (ca, io, tw) = (ca.clone(), io.clone(), tw.clone());
                c.write_cb("hello world", move |e| {
                    if called.get() {
                        tw.set(tw.get() + 1);
                    }
                    called.set(true);
                    if e.is_some() || ca.get() != i {
                        io.set(false);
                    }
                    ca.set(ca.get() + 1);
                });
            }
            let ca = ca.clone();
            c.end_cb(move || out!("end callback {}", ca.get()));
            out!("queued {} {}", c.writable_ended(), c.writable_finished());
        });
        let d = drains.clone();
        c.on(Drain, move |_| d.set(d.get() + 1));
        let ca = calls.clone();
        c.on(Finish, move |_| {
            out!(
                "finish {} {} {} drains {} {}",
                ca.get(),
                in_order.get(),
                twice.get(),
                drains.get(),
                c.bytes_written()
            )
        });
        c.on(Close, move |h| out!("close {h} {}", calls.get()));
    });
    server.listen((0, "127.0.0.1"));
}
