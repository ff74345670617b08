//! Read data buffered in a paused socket when it is destroyed: Node marks the stream closed
//! on the destroy's next tick, and only a flow or a read() before that mark emits the data.
//! So resume() then destroy() emits it, destroy() then resume() does not (the resume's tick
//! comes after the mark, and takes the data without emitting it); read() in the destroy's
//! tick returns and emits it, read() a tick later returns it without `data`. The same with
//! an error. (A fuzz_socket difference: a write the kernel refused destroyed the socket.)
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, Server, Socket, events::*};

use crate::harness::code;

fn read_len(c: Socket) -> String {
    c.read(None)
        .map_or_else(|| "null".to_string(), |b| b.len().to_string())
}

type Act = fn(Socket);

const CASES: &[(&str, Act)] = &[
    ("destroy resume", |c| {
        c.destroy();
        c.resume();
    }),
    ("resume destroy", |c| {
        c.resume();
        c.destroy();
    }),
    ("destroy read", |c| {
        c.destroy();
        out!("  read {}", read_len(c));
    }),
    ("destroy tick read", |c| {
        c.destroy();
        nodenet::next_tick(move || out!("  read {} left {}", read_len(c), c.readable_length()));
    }),
    ("destroy(err) resume", |c| {
        c.destroy_with(nodenet::Error::other("boom"));
        c.resume();
    }),
    ("resume destroy(err)", |c| {
        c.resume();
        c.destroy_with(nodenet::Error::other("boom"));
    }),
    ("resume pause destroy", |c| {
        c.resume();
        c.pause();
        c.destroy();
    }),
];

fn run(server: Server, i: usize) {
    let Some(&(name, act)) = CASES.get(i) else {
        server.close_cb(|_| out!("server closed"));
        return;
    };
    let port = server.address().map(|a| a.port()).unwrap_or(0);
    let c = net::connect((port, "127.0.0.1"));
    let rx = Rc::new(Cell::new(0));
    let r = rx.clone();
    c.on(Data, move |d| {
        r.set(r.get() + d.len());
        out!("  data {} destroyed {}", d.len(), c.destroyed());
    });
    let r = rx.clone();
    c.on(Error, move |e| out!("  error {} rx {}", code(&e), r.get()));
    c.on(Close, move |h| {
        out!("  close {h} rx {}", rx.get());
        run(server, i + 1);
    });
    c.on(Connect, move |_| {
        c.pause();
        nodenet::set_timeout(50, move || {
            out!("{name} buffered {}", c.readable_length());
            act(c);
            out!("  after {} left {}", c.destroyed(), c.readable_length());
        });
    });
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.on(Error, |_| {});
        s.write(vec![b'a'; 100_000]);
    });
    server.on(Listening, move |_| run(server, 0));
    server.listen((0, "127.0.0.1"));
}
