//! A server that stops listening, then resets every open connection: once both clients
//! have connected and both connections are accepted, close() (no close event yet: two
//! connections are open), then resetAndDestroy() on both accepted sockets: each client
//! gets ECONNRESET (read) then close(true); the accepted sockets close without error, and
//! the server's close follows. (Which comes first, the second accept or the clients'
//! connects, is the kernel's timing: the reset waits for both.)
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, Server, Socket, events::*};

use crate::harness::undef;

#[derive(Clone)]
struct Shared {
    server: Server,
    accepted: Rc<RefCell<Vec<Socket>>>,
    connected: Rc<Cell<u32>>,
}

impl Shared {
    fn maybe_reset(&self) {
        if self.accepted.borrow().len() < 2 || self.connected.get() < 2 {
            return;
        }
        self.server.close_cb(|_| out!("server close"));
        let all = self.accepted.borrow().clone();
        for a in all {
            a.reset_and_destroy();
        }
    }
}

pub fn scenario() {
    let server = net::create_server();
    let sh = Shared {
        server,
        accepted: Rc::default(),
        connected: Rc::default(),
    };
    let sh2 = sh.clone();
    server.on(Connection, move |s| {
        sh2.accepted.borrow_mut().push(s);
        s.on(Error, |e| out!("accepted error {}", e.code()));
        s.on(Close, |h| note!("accepted", "close {h}"));
        sh2.maybe_reset();
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        for name in ["client a", "client b"] {
            let c = net::connect((port, "127.0.0.1"));
            let sh = sh.clone();
            c.on(Connect, move |_| {
                note!(name, "connect");
                sh.connected.set(sh.connected.get() + 1);
                sh.maybe_reset();
            });
            c.on(Error, move |e| {
                note!(name, "error {} {}", e.code(), undef(e.syscall()))
            });
            c.on(Close, move |h| note!(name, "close {h}"));
        }
    });
    server.listen((0, "127.0.0.1"));
}
