//! Write callbacks run in write order (on next tick for writes the kernel took at once),
//! before finish and the end callback; return values and counters along the way.
use std::cell::RefCell;
use std::rc::Rc;

use nodenet::net::{self, Encoding, events::*};

use crate::harness::null;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        let got = Rc::new(RefCell::new(String::new()));
        let g = got.clone();
        s.set_encoding(Encoding::Utf8);
        s.on(Data, move |d| g.borrow_mut().push_str(&d.to_string()));
        s.on(End, move |_| note!("srvSock", "got {}", got.borrow()));
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.on(Connect, move |_| {
            out!("write a {}", c.write_cb("a", |e| out!("cb a {}", null(e))));
            out!("write b {}", c.write_cb("b", |e| out!("cb b {}", null(e))));
            out!("write c {}", c.write_cb(b"c", |e| out!("cb c {}", null(e))));
            c.end_cb(|| out!("end cb"));
            out!(
                "after end() {} {} {} {}",
                c.bytes_written(),
                c.writable_length(),
                c.writable_ended(),
                c.writable_finished()
            );
            nodenet::next_tick(|| out!("next tick"));
        });
        c.on(Finish, move |_| out!("finish {}", c.writable_finished()));
        c.on(Close, move |e| {
            out!("close {e}");
            server.close();
        });
    });
    server.listen((0, "127.0.0.1"));
}
