//! Pausing a socket while data trickles in (test-net-pause): the server writes one byte
//! every 10 ms, 80 in all, then ends; the client pauses at its 5th and its 40th byte, for
//! 150 ms each: no data while paused, though the socket reads on (bytesRead grows); resume
//! brings what was kept; every byte arrives, then end.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, Encoding, Socket, events::*};

use crate::harness::null;

const N: u32 = 80;

fn tick(s: Socket, sent: Rc<Cell<u32>>) {
    nodenet::set_timeout(10, move || {
        s.write("C");
        sent.set(sent.get() + 1);
        if sent.get() == N {
            s.end();
        } else {
            tick(s, sent);
        }
    });
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        let sent = Rc::new(Cell::new(0));
        tick(s, sent.clone());
        s.on(Close, move |h| note!("server", "close {h} {}", sent.get()));
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.set_encoding(Encoding::Ascii);
        let recv = Rc::new(RefCell::new(String::new()));
        let pauses = Rc::new(Cell::new(0u32));
        let while_paused = Rc::new(Cell::new(0u32));
        let (r, w) = (recv.clone(), while_paused.clone());
        c.on(Data, move |d| {
            if c.is_paused() {
                w.set(w.get() + 1);
            }
            r.borrow_mut().push_str(&d.to_string());
            let len = r.borrow().len();
            if (pauses.get() == 0 && len >= 5) || (pauses.get() == 1 && len >= 40) {
                pauses.set(pauses.get() + 1);
                c.pause();
                let read_at_pause = c.bytes_read();
                out!(
                    "pause {} {} {}",
                    pauses.get(),
                    c.is_paused(),
                    null(c.readable_flowing())
                );
                let (r, p) = (r.clone(), pauses.get());
                nodenet::set_timeout(150, move || {
                    out!(
                        "resume {p} nothing while paused {} read on {} kept {}",
                        r.borrow().len() == len,
                        c.bytes_read() > read_at_pause,
                        c.readable_length() > 0
                    );
                    c.resume();
                    out!("resumed {} {}", c.is_paused(), null(c.readable_flowing()));
                });
            }
        });
        c.on(End, move |_| {
            let recv = recv.borrow();
            out!(
                "end {} {} data while paused {}",
                recv.len(),
                *recv == "C".repeat(N as usize),
                while_paused.get()
            );
            server.close();
            c.end();
        });
        c.on(Close, |h| out!("close {h}"));
    });
    server.listen((0, "127.0.0.1"));
}
