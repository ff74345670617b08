//! Ten clients at once, each connecting three times in a row from its own close listener
//! (test-net-many-clients): every connection brings the server's 40 KiB and its end, the
//! client ends in turn and closes without error with every byte; 30 connections in all.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, Encoding, events::*};

const BYTES: usize = 40 * 1024;
const CLIENTS: usize = 10;
const ROUNDS: u32 = 3;

pub fn scenario() {
    let body = "C".repeat(BYTES);
    let accepted = Rc::new(Cell::new(0u32));
    let server = net::create_server();
    let a = accepted.clone();
    let b = body.clone();
    server.on(Connection, move |s| {
        a.set(a.get() + 1);
        s.write(b.clone());
        s.end();
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let finished = Rc::new(Cell::new(0usize));
        for i in 0..CLIENTS {
            let actor: &'static str = format!("client {i}").leak();
            let c = net::connect((port, "127.0.0.1"));
            let rounds = Rc::new(Cell::new(0u32));
            let got = Rc::new(RefCell::new(String::new()));
            c.set_encoding(Encoding::Utf8);
            let (r, g) = (rounds.clone(), got.clone());
            c.on(Connect, move |_| {
                r.set(r.get() + 1);
                g.borrow_mut().clear();
            });
            let g = got.clone();
            c.on(Data, move |d| g.borrow_mut().push_str(&d.to_string()));
            c.on(End, move |_| {
                c.end();
            });
            let (finished, accepted, body) = (finished.clone(), accepted.clone(), body.clone());
            c.on(Close, move |h| {
                let got = got.borrow();
                note!(
                    actor,
                    "close {} {h} {} {} {}",
                    rounds.get(),
                    got.len(),
                    *got == body,
                    c.ready_state()
                );
                if rounds.get() < ROUNDS {
                    c.connect((port, "127.0.0.1"));
                } else {
                    finished.set(finished.get() + 1);
                    if finished.get() == CLIENTS {
                        out!("all done, accepted {}", accepted.get());
                        server.close_cb(|_| out!("server closed"));
                    }
                }
            });
        }
    });
    server.listen((0, "127.0.0.1"));
}
