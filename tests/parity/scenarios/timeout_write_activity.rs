//! Writes alone keep the idle timeout off (test-net-timeout2): an accepted socket with
//! setTimeout(200) that never receives writes a line every 10 ms, 30 times, and no timeout
//! fires; after its last write one fires, at least 200 ms later (give or take the clock);
//! it destroys the socket there, and the client gets all 30 lines, end and close.
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Instant;

use nodenet::net::{self, Encoding, events::*};

const N: u32 = 30;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, move |s| {
        let writes = Rc::new(Cell::new(0u32));
        let last = Rc::new(Cell::new(Instant::now()));
        let (w, l) = (writes.clone(), last.clone());
        s.set_timeout_cb(200, move || {
            out!(
                "server timeout {} {} {}",
                w.get(),
                l.get().elapsed().as_millis() >= 190,
                s.bytes_read()
            );
            s.destroy();
            server.close();
        });
        let timer: Rc<Cell<Option<nodenet::Timer>>> = Rc::default();
        let t = timer.clone();
        timer.set(Some(nodenet::set_interval(10, move || {
            s.write(format!("line {}\n", writes.get()));
            last.set(Instant::now());
            writes.set(writes.get() + 1);
            if writes.get() == N
                && let Some(t) = t.get()
            {
                nodenet::clear_interval(t);
            }
        })));
        s.on(Close, |h| note!("server", "close {h}"));
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.set_encoding(Encoding::Utf8);
        let got = Rc::new(RefCell::new(String::new()));
        let g = got.clone();
        c.on(Data, move |d| g.borrow_mut().push_str(&d.to_string()));
        c.on(End, move |_| {
            let got = got.borrow();
            note!(
                "client",
                "end {} {}",
                got.matches('\n').count(),
                got.ends_with(&format!("line {}\n", N - 1))
            )
        });
        c.on(Close, |h| note!("client", "close {h}"));
    });
    server.listen((0, "127.0.0.1"));
}
