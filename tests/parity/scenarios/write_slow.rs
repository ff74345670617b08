//! A slow reader (test-net-write-slow): the server writes ten 200,000-byte buffers with
//! callbacks and ends, with an idle timeout of 9,999 ms it clears once all are flushed; the
//! client pauses 20 ms after every chunk. Every callback runs once, in order, every byte
//! arrives, `end` comes, and the timeout never fires while the writes drain.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, events::*};

const SIZE: usize = 200_000;
const N: usize = 10;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |socket| {
        socket.set_no_delay(true);
        socket.set_timeout(9999);
        socket.on(Timeout, |_| note!("server", "timeout"));
        let order = Rc::new(RefCell::new(Vec::new()));
        for i in 0..N {
            let order = order.clone();
            socket.write_cb(vec![b'a'; SIZE], move |_| {
                order.borrow_mut().push(i.to_string());
                if order.borrow().len() == N {
                    socket.set_timeout(0);
                    note!("server", "flushed {}", order.borrow().join(","));
                }
            });
        }
        socket.end();
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let conn = net::connect((port, "127.0.0.1"));
        let received = Rc::new(Cell::new(0usize));
        let all_a = Rc::new(Cell::new(true));
        let (r, a) = (received.clone(), all_a.clone());
        conn.on(Data, move |buf| {
            r.set(r.get() + buf.len());
            if !buf.as_bytes().iter().all(|&b| b == b'a') {
                a.set(false);
            }
            conn.pause();
            nodenet::set_timeout(20, move || {
                conn.resume();
            });
        });
        conn.on(End, move |_| {
            out!("client end {} {}", received.get(), all_a.get());
            server.close();
        });
    });
    server.listen((0, "127.0.0.1"));
}
