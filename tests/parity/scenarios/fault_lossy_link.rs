//! 1 MiB sent over a slow link that loses packets (run in a network namespace of its own:
//! loopback at 1500 bytes MTU behind a 20 Mbit/s token bucket, and 5% of the packets to the
//! server's port dropped at random): the client writes 16 KiB chunks, waiting for `drain`
//! whenever write() says so; the server counts and sums what it reads and answers with
//! both at the end. Every byte arrives in order, and no error is seen on either side.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, events::*};

const PORT: u16 = 5000;
const TOTAL: usize = 1024 * 1024;
const CHUNK: usize = 16 * 1024;

/// The byte at offset `i`: a pattern that shows a lost, doubled or misplaced byte in the sum.
fn byte_at(i: usize) -> u8 {
    ((i * 31 + (i >> 8)) & 0xff) as u8
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        let got = Rc::new(Cell::new((0usize, 0u64)));
        let g = got.clone();
        s.on(Data, move |d| {
            let (n, mut sum) = g.get();
            for (i, b) in d.as_bytes().iter().enumerate() {
                sum = (sum * 33 + u64::from(b ^ byte_at(n + i))) % 1_000_000_007;
            }
            g.set((n + d.as_bytes().len(), sum));
        });
        s.on(End, move |_| {
            let (n, sum) = got.get();
            note!("server", "end {n} {sum}");
            s.end_with(format!("{n} {sum}"));
        });
        s.on(Error, |e| note!("server", "error {}", e.code()));
        s.on(Close, |h| note!("server", "close {h}"));
    });
    server.on(Listening, move |_| {
        let c = net::connect((PORT, "127.0.0.1"));
        let sent = Rc::new(Cell::new(0usize));
        let waited = Rc::new(Cell::new(false));
        let (s2, w2) = (sent.clone(), waited.clone());
        let pump = move || {
            while s2.get() < TOTAL {
                let at = s2.get();
                let b: Vec<u8> = (0..CHUNK).map(|i| byte_at(at + i)).collect();
                s2.set(at + CHUNK);
                if !c.write(b) {
                    w2.set(true);
                    return;
                }
            }
            c.end();
        };
        let p = pump.clone();
        c.on(Connect, move |_| p());
        c.on(Drain, move |_| pump());
        let answer = Rc::new(RefCell::new(String::new()));
        c.set_encoding(net::Encoding::Utf8);
        let a = answer.clone();
        c.on(Data, move |d| {
            a.borrow_mut()
                .push_str(&String::from_utf8_lossy(d.as_bytes()))
        });
        c.on(Finish, move |_| {
            note!(
                "client",
                "finish {} waited for drain {}",
                c.bytes_written(),
                waited.get()
            )
        });
        c.on(End, move |_| note!("client", "answer {}", answer.borrow()));
        c.on(Error, |e| note!("client", "error {}", e.code()));
        c.on(Close, move |h| {
            note!("client", "close {h}");
            server.close();
        });
    });
    server.listen((PORT, "127.0.0.1"));
}
