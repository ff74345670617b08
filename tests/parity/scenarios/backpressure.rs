//! Backpressure: the peer does not read (pauseOnConnect); the client writes 64 KiB chunks
//! until write() returns false, then one more byte (false too); the peer resumes 100 ms
//! later; drain comes once, before the callback of the extra write.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, ServerOptions, events::*};

pub fn scenario() {
    let total = Rc::new(Cell::new(0u64));
    let server = net::create_server_with(ServerOptions {
        pause_on_connect: true,
        ..ServerOptions::default()
    });
    let t = total.clone();
    server.on(Connection, move |s| {
        let got = Rc::new(Cell::new(0u64));
        let g = got.clone();
        s.on(Data, move |d| g.set(g.get() + d.len() as u64));
        nodenet::set_timeout(100, move || {
            out!("server resumes; bytesRead {}", s.bytes_read());
            s.resume();
        });
        let t = t.clone();
        s.on(End, move |_| {
            out!("server end; all bytes {}", got.get() == t.get());
            server.close();
        });
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        let total = total.clone();
        c.on(Connect, move |_| {
            let chunk = bytes::Bytes::from(vec![97u8; 64 * 1024]);
            for n in 1..=10000 {
                total.set(total.get() + chunk.len() as u64);
                let ok = if n == 1 {
                    c.write_cb(chunk.clone(), |_| out!("cb of write 1"))
                } else {
                    c.write(chunk.clone())
                };
                if !ok {
                    break;
                }
            }
            out!(
                "write returned false; writableLength >= hwm {} needDrain {}",
                c.writable_length() >= c.writable_high_water_mark(),
                c.writable_need_drain()
            );
            total.set(total.get() + 1);
            out!(
                "one more write {}",
                c.write_cb("x", |_| out!("cb of the extra write"))
            );
            let total = total.clone();
            c.on(Drain, move |_| {
                out!(
                    "drain; writableLength {} bytesWritten ok {}",
                    c.writable_length(),
                    c.bytes_written() == total.get()
                );
                c.end();
            });
        });
        c.on(Close, |e| out!("client close {e}"));
    });
    server.listen((0, "127.0.0.1"));
}
