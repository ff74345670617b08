//! server.close() returns the server and stops accepting, but close comes only once every
//! accepted socket is gone: with two open connections, destroyed 20 ms apart by their
//! clients, the server's close comes as the second accepted socket is destroyed, on next
//! tick, ahead of that socket's own close (which waits for its handle's close). Then
//! maxConnections = 0 drops every connection: a drop event with both ends' addresses and
//! ports, no connection event; the client sees connect, then an orderly end and close.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, Socket, events::*};

pub fn scenario() {
    let server = net::create_server();
    let closed = Rc::new(Cell::new(0));
    let accepted = Rc::new(Cell::new(0));
    let clients: Rc<RefCell<Vec<Socket>>> = Rc::default();
    let (c2, cl) = (closed.clone(), clients.clone());
    server.on(Connection, move |s| {
        accepted.set(accepted.get() + 1);
        let n = accepted.get();
        out!("connection {n}");
        let c3 = c2.clone();
        s.on(Close, move |_| {
            c3.set(c3.get() + 1);
            out!("accepted socket close {}", c3.get());
        });
        if n == 2 {
            out!(
                "close returns server {} {}",
                server.close() == server,
                server.listening()
            );
            // The clients are looked up when the timers fire, as the second one may not
            // have seen its connect yet.
            for (i, ms) in [(0, 20), (1, 40)] {
                let cl = cl.clone();
                nodenet::set_timeout(ms, move || {
                    if let Some(c) = cl.borrow().get(i) {
                        c.destroy();
                    }
                });
            }
        }
    });
    server.on(Close, move |_| {
        out!("server close {}", closed.get());
        drop_all();
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let a = net::connect((port, "127.0.0.1"));
        a.once(Connect, move |_| {
            clients.borrow_mut().push(a);
            let b = net::connect((port, "127.0.0.1"));
            let clients = clients.clone();
            b.once(Connect, move |_| clients.borrow_mut().push(b));
        });
    });
    server.listen((0, "127.0.0.1"));
}

fn drop_all() {
    let z = net::create_server();
    z.on(Connection, |_| out!("z connection"));
    z.set_max_connections(Some(0));
    z.once(Listening, move |_| {
        let port = z.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        z.on(Drop, move |d| {
            out!(
                "drop {} {} {} {} {}",
                d.local_address.as_deref().unwrap_or("undefined"),
                d.local_port == Some(port),
                d.remote_address.as_deref().unwrap_or("undefined"),
                d.remote_family.unwrap_or("undefined"),
                if d.remote_port.is_some() {
                    "number"
                } else {
                    "undefined"
                }
            );
            z.close();
        });
        c.on(Connect, |_| note!("client", "connect"));
        c.on(End, |_| note!("client", "end"));
        c.on(Close, |h| note!("client", "close {h}"));
    });
    z.listen((0, "127.0.0.1"));
}
