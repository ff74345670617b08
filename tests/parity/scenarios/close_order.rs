//! Sockets destroyed in one callback get their close events last-destroyed first (libuv's
//! closing list), then the server's close.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, Socket, events::*};

pub fn scenario() {
    let server = net::create_server();
    server.on(Close, |_| out!("server close"));
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let clients: Rc<RefCell<Vec<Socket>>> = Rc::default();
        let n = Rc::new(Cell::new(0));
        for name in ["a", "b", "c"] {
            let c = net::connect((port, "127.0.0.1"));
            let (cl, n) = (clients.clone(), n.clone());
            c.once(Connect, move |_| {
                n.set(n.get() + 1);
                if n.get() == 3 {
                    for s in cl.borrow().iter() {
                        s.destroy();
                    }
                    server.close();
                }
            });
            c.on(Close, move |_| out!("close {name}"));
            clients.borrow_mut().push(c);
        }
    });
    server.listen((0, "127.0.0.1"));
}
