//! One socket's idle timeout changing another's (a port of Node's
//! test-timers-socket-timeout-removes-other-socket-unref-timer): of two accepted sockets,
//! the first times out after 1 ms and turns the second's 50 ms timeout off, then ends
//! both; the second's timeout never fires, both clients see their end, and the server
//! closes.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, Socket, events::*};

pub fn scenario() {
    let server = net::create_server();
    let conns: Rc<RefCell<Vec<Socket>>> = Rc::default();
    server.on(Connection, move |s| {
        conns.borrow_mut().push(s);
        let n = conns.borrow().len();
        out!("connection {n}");
        if n == 2 {
            let (first, second) = (conns.borrow()[0], conns.borrow()[1]);
            first.set_timeout_cb(1, move || {
                out!("first times out, turns the second's timeout off, ends both");
                second.set_timeout(0);
                first.end();
                second.end();
            });
            second.set_timeout(50);
            second.on(Timeout, |_| out!("second times out (never)"));
        }
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let ended = Rc::new(Cell::new(0));
        for _ in 0..2 {
            let c = net::connect((port, "127.0.0.1"));
            let ended = ended.clone();
            c.on(End, move |_| {
                out!("a client sees its end");
                ended.set(ended.get() + 1);
                if ended.get() == 2 {
                    server.close_cb(|_| out!("server closed"));
                }
            });
        }
    });
    server.listen((0, "127.0.0.1"));
}
