//! An accepted socket's idle timeout (150 ms) while it echoes (test-net-timeout): the
//! client sends a line 10 ms after each echo, five times, and no timeout fires; once it
//! stops, one fires, at least 150 ms after the last echo (give or take the clock); the
//! server destroys the socket there, and the client (setTimeout(0): no timeout) gets end,
//! ends, and closes without error.
use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use nodenet::net::{self, Encoding, events::*};

const LINE: &str = "hello\r\n";

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.set_timeout(150);
        let echoes = Rc::new(Cell::new(0u32));
        let last = Rc::new(Cell::new(Instant::now()));
        let (e, l) = (echoes.clone(), last.clone());
        s.on(Data, move |d| {
            e.set(e.get() + 1);
            s.write(d);
            l.set(Instant::now());
        });
        s.on(Timeout, move |_| {
            out!(
                "server timeout {} {} {}",
                echoes.get(),
                last.get().elapsed().as_millis() >= 140,
                s.ready_state()
            );
            s.destroy();
        });
        s.on(End, move |_| {
            s.end();
        });
        s.on(Error, |e| note!("server", "error {}", e.code()));
        s.on(Close, |h| note!("server", "close {h}"));
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.set_encoding(Encoding::Utf8);
        c.set_timeout(0);
        let got = Rc::new(Cell::new(0u32));
        let fine = Rc::new(Cell::new(true));
        c.on(Connect, move |_| {
            c.write(LINE);
        });
        let (g, f) = (got.clone(), fine.clone());
        c.on(Data, move |d| {
            if d.as_str() != Some(LINE) {
                f.set(false);
            }
            g.set(g.get() + 1);
            if g.get() < 5 {
                nodenet::set_timeout(10, move || {
                    c.write(LINE);
                });
            }
        });
        c.on(Timeout, |_| out!("client timeout"));
        c.on(End, move |_| {
            note!("client", "end {} {}", got.get(), fine.get());
            c.end();
        });
        c.on(Close, move |h| {
            note!("client", "close {h}");
            server.close();
        });
    });
    server.listen((0, "127.0.0.1"));
}
