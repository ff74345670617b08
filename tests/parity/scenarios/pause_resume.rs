//! pause()/resume() lose nothing: the server pauses its socket on connect, the client sends
//! 1 MiB and ends; no data while paused; after resume 200 ms later every byte arrives.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, events::*};

const TOTAL: usize = 1024 * 1024;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, move |s| {
        s.pause();
        out!("paused {}", s.is_paused());
        let got = Rc::new(Cell::new(0usize));
        let events = Rc::new(Cell::new(0usize));
        let (g, n) = (got.clone(), events.clone());
        s.on(Data, move |d| {
            g.set(g.get() + d.len());
            n.set(n.get() + 1);
        });
        nodenet::set_timeout(200, move || {
            out!("data events while paused {}", events.get());
            s.resume();
            out!("resumed {}", s.is_paused());
        });
        s.on(End, move |_| {
            out!(
                "end; bytes {} bytesRead {} ok {}",
                got.get(),
                s.bytes_read(),
                got.get() == TOTAL
            );
            server.close();
        });
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        let chunk = vec![120u8; 16 * 1024];
        for _ in 0..TOTAL / chunk.len() {
            c.write(chunk.clone());
        }
        c.end();
        c.on(Finish, move |_| {
            out!("client finish; bytesWritten {}", c.bytes_written())
        });
        c.on(Close, |e| out!("client close {e}"));
    });
    server.listen((0, "127.0.0.1"));
}
