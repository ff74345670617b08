//! cork() while connecting. A write made before the cork is handed to the stream's write,
//! which holds it for the connect: it leaves at connect, and the writes made after the cork
//! wait for the uncork. Corked before the first write, nothing leaves at connect.
//! The peer reports what it has received 40 ms after it accepted (the client uncorks 80 ms
//! after its connect).
//! Then, connected: a cork does not hold back a write already handed over. 5 MiB written
//! (more than the kernel takes at once), then cork() and one more byte: the 5 MiB all
//! leave, the byte waits for the uncork 300 ms later.
use std::cell::RefCell;
use std::rc::Rc;

use nodenet::net::{self, events::*};

fn round(tag: &'static str, cork_first: bool, next: impl FnOnce() + 'static) {
    let server = net::create_server();
    let actor = format!("peer {tag}");
    server.on(Connection, move |s| {
        let rx = Rc::new(RefCell::new(String::new()));
        let r = rx.clone();
        s.on(Data, move |d| {
            r.borrow_mut()
                .push_str(&String::from_utf8_lossy(d.as_bytes()))
        });
        let (r, a) = (rx.clone(), actor.clone());
        nodenet::set_timeout(40, move || note!(&a, "at 40 ms {:?}", r.borrow().as_str()));
        let a = actor.clone();
        s.on(End, move |_| {
            note!(&a, "end {:?}", rx.borrow().as_str());
            s.end();
        });
    });
    let mut next = Some(next);
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        if cork_first {
            c.cork();
        }
        out!(
            "{tag} write abc {}",
            c.write_cb("abc", move |_| out!("{tag} cb abc"))
        );
        if !cork_first {
            c.cork();
        }
        out!(
            "{tag} write def {}",
            c.write_cb("def", move |_| out!("{tag} cb def"))
        );
        out!(
            "{tag} after writes wl {} corked {}",
            c.writable_length(),
            c.writable_corked()
        );
        c.on(Connect, move |_| {
            out!("{tag} connect wl {}", c.writable_length());
            nodenet::next_tick(move || out!("{tag} tick after connect wl {}", c.writable_length()));
            nodenet::set_timeout(80, move || {
                out!("{tag} uncork wl {}", c.writable_length());
                c.uncork();
                c.end();
            });
        });
        c.on(Data, |_| {});
        let mut next = next.take();
        c.on(Close, move |h| {
            out!("{tag} close {h} bytesWritten {}", c.bytes_written());
            let next = next.take();
            server.close_cb(move |_| {
                if let Some(n) = next {
                    n();
                }
            });
        });
    });
    server.listen((0, "127.0.0.1"));
}

fn in_flight() {
    const BIG: usize = 5 * 1024 * 1024;
    let server = net::create_server();
    server.on(Connection, |s| {
        let rx = Rc::new(std::cell::Cell::new(0usize));
        let r = rx.clone();
        s.on(Data, move |d| r.set(r.get() + d.len()));
        let r = rx.clone();
        nodenet::set_timeout(250, move || {
            note!("peer in flight", "at 250 ms {}", r.get())
        });
        s.on(End, move |_| {
            note!("peer in flight", "end {}", rx.get());
            s.end();
        });
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.on(Connect, move |_| {
            let big = bytes::Bytes::from(vec![97u8; BIG]);
            out!(
                "in flight write big {}",
                c.write_cb(big, |_| out!("in flight cb big"))
            );
            c.cork();
            out!(
                "in flight write x {}",
                c.write_cb("x", |_| out!("in flight cb x"))
            );
            c.on(Drain, move |_| {
                out!("in flight drain wl {}", c.writable_length())
            });
            nodenet::set_timeout(300, move || {
                out!("in flight uncork wl {}", c.writable_length());
                c.uncork();
                c.end();
            });
        });
        c.on(Data, |_| {});
        c.on(Close, move |h| {
            out!("in flight close {h} bytesWritten {}", c.bytes_written());
            server.close();
        });
    });
    server.listen((0, "127.0.0.1"));
}

pub fn scenario() {
    round("handed", false, || round("cork first", true, in_flight));
}
