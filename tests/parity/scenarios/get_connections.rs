//! getConnections counts accepted sockets not yet destroyed, answering on next tick.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, Socket, events::*};

fn count(label: &'static str) -> impl FnOnce(Result<usize, nodenet::Error>) {
    move |r| match r {
        Ok(n) => out!("{label} null {n}"),
        Err(e) => out!("{label} {} undefined", e.code()),
    }
}

pub fn scenario() {
    let clients: Rc<RefCell<Vec<Socket>>> = Rc::default();
    let n = Rc::new(Cell::new(0));
    let server = net::create_server();
    let cl = clients.clone();
    server.on(Connection, move |s| {
        n.set(n.get() + 1);
        out!("connection {}", n.get());
        server.get_connections(count("getConnections"));
        if n.get() == 2 {
            s.destroy();
            server.get_connections(count("after destroy getConnections"));
            let cl = cl.clone();
            nodenet::set_timeout(20, move || {
                for c in cl.borrow().iter() {
                    c.destroy();
                }
                server.close_cb(|_| out!("server close"));
            });
        }
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let a = net::connect((port, "127.0.0.1"));
        let cl = clients.clone();
        a.once(Connect, move |_| {
            let b = net::connect((port, "127.0.0.1"));
            cl.borrow_mut().push(b);
        });
        clients.borrow_mut().push(a);
    });
    server.listen((0, "127.0.0.1"));
}
