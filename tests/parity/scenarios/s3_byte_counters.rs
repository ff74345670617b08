//! Byte counters as Node counts them: bytesWritten counts a write's bytes as soon as it is
//! queued (corked writes before connect: 'one' + 'twø' = 7), writableLength counts UTF-16
//! units (6); both sides' counters at every step; bytesRead grows with each data event,
//! equals the total at end, and both survive the close.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, ServerOptions, events::*};

use super::s3_util::{Count, serve};

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            let total = Count::default();
            let growing = Rc::new(Cell::new(true));
            let g = growing.clone();
            s.on(Data, move |d| {
                if s.bytes_read() as usize != total.add(d.len()) {
                    g.set(false);
                }
            });
            s.on(End, move |_| {
                note!(
                    "srvSock",
                    "end {} tracks data {}",
                    s.bytes_read(),
                    growing.get()
                );
                s.end_with(vec![1u8; 300000]);
                note!("srvSock", "after end(300000 bytes) {}", s.bytes_written());
            });
            s.on(Close, move |_| {
                note!("srvSock", "close {} {}", s.bytes_read(), s.bytes_written())
            });
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            c.cork();
            c.write("one");
            c.write("twø");
            out!(
                "before connect {} {}",
                c.bytes_written(),
                c.writable_length()
            );
            c.on(Connect, move |_| {
                out!("connect {} {}", c.bytes_written(), c.writable_length());
                c.uncork();
                c.end();
            });
            c.on(Finish, move |_| {
                out!("finish {} {}", c.bytes_written(), c.writable_length())
            });
            let n = Count::default();
            let n2 = n.clone();
            c.on(Data, move |d| {
                n2.add(d.len());
            });
            c.on(End, move |_| {
                out!(
                    "end {} {}",
                    c.bytes_read(),
                    n.get() as u64 == c.bytes_read()
                )
            });
            c.on(Close, move |_| {
                out!("close {} {}", c.bytes_read(), c.bytes_written());
                server.close();
            });
        },
    );
}
