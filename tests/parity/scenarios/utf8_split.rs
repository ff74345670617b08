//! A character split across writes: the server sends `61 e2`, 30 ms later `82`, 30 ms later
//! `ac 62` and FIN (a€b split inside the euro sign); a second connection ends inside a
//! character (`61 e2 82` then FIN), which decodes to U+FFFD at the end.
use std::cell::Cell;
use std::collections::VecDeque;
use std::rc::Rc;

use nodenet::net::{self, Encoding, Server, Socket, events::*};

use crate::harness::undef;

fn send(s: Socket, mut chunks: VecDeque<Vec<u8>>) {
    let Some(c) = chunks.pop_front() else { return };
    if chunks.is_empty() {
        s.end_with(c);
    } else {
        s.write(c);
        nodenet::set_timeout(30, move || send(s, chunks));
    }
}

fn client(server: Server, name: &'static str, then: impl FnOnce() + 'static) {
    let port = server.address().map(|a| a.port()).unwrap_or(0);
    let c = net::connect((port, "127.0.0.1"));
    c.set_encoding(Encoding::Utf8);
    out!(
        "{name} readableEncoding {}",
        undef(
            c.readable_encoding()
                .map(|e| format!("{e:?}").to_lowercase())
        )
    );
    c.on(Data, move |d| {
        let last = d.as_str().and_then(|s| s.chars().last()).map(u32::from);
        out!("{name} data [{d}] {} {}", d.len(), undef(last));
    });
    c.on(End, move |_| out!("{name} end"));
    c.once(Close, move |_| then());
}

pub fn scenario() {
    let parts: Vec<Vec<Vec<u8>>> = vec![
        vec![vec![0x61, 0xe2], vec![0x82], vec![0xac, 0x62]],
        vec![vec![0x61, 0xe2, 0x82]],
    ];
    let round = Rc::new(Cell::new(0));
    let server = net::create_server();
    server.on(Connection, move |s| {
        let i = round.get();
        round.set(i + 1);
        send(s, parts[i].iter().cloned().collect());
    });
    server.on(Listening, move |_| {
        client(server, "one", move || {
            client(server, "two", move || {
                server.close();
            })
        });
    });
    server.listen((0, "127.0.0.1"));
}
