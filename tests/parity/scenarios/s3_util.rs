//! Helpers shared by the issue-3 (`s3_*`) scenarios; their JS twins are in `js/_s3.js`.
#![allow(dead_code)]

use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, Server, ServerOptions, Socket, events::*};

/// A server on 127.0.0.1 and an OS-chosen port: `on_conn` for each accepted socket,
/// `on_listen(server, port)` once listening (JS `serve`).
pub fn serve(
    opts: ServerOptions,
    on_conn: impl FnMut(Socket) + 'static,
    on_listen: impl FnOnce(Server, u16) + 'static,
) -> Server {
    let server = net::create_server_with(opts);
    server.on(Connection, on_conn);
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        on_listen(server, port);
    });
    server.listen((0, "127.0.0.1"));
    server
}

/// [`serve`] with a server that reads every connection to its end and ignores its errors
/// (JS `serveSink`).
pub fn serve_sink(on_listen: impl FnOnce(Server, u16) + 'static) -> Server {
    serve(
        ServerOptions::default(),
        |s| {
            s.resume();
            s.on(Error, |_| {});
        },
        on_listen,
    )
}

/// Call `then` once `cond` holds, checking every 2 ms (JS `waitUntil`).
pub fn wait_until(cond: impl Fn() -> bool + 'static, then: impl FnOnce() + 'static) {
    if cond() {
        then();
        return;
    }
    nodenet::set_timeout(2, move || wait_until(cond, then));
}

/// Send `pieces` one at a time, each only once `reader` (the other end, in this process)
/// has read everything sent before, so each piece arrives as one chunk; then `then`
/// (JS `lockstep`). Nothing else may be in flight towards `reader` when it starts.
pub fn lockstep(
    writer: Socket,
    reader: Socket,
    pieces: Vec<Vec<u8>>,
    then: impl FnOnce() + 'static,
) {
    fn step(
        writer: Socket,
        reader: Socket,
        mut pieces: std::collections::VecDeque<Vec<u8>>,
        sent: u64,
        then: Box<dyn FnOnce()>,
    ) {
        let Some(p) = pieces.pop_front() else {
            then();
            return;
        };
        let sent = sent + p.len() as u64;
        writer.write(p);
        wait_until(
            move || reader.bytes_read() >= sent,
            move || step(writer, reader, pieces, sent, then),
        );
    }
    step(
        writer,
        reader,
        pieces.into(),
        reader.bytes_read(),
        Box::new(then),
    );
}

/// Bytes as lowercase hex.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A value that JS prints as `undefined` when absent.
pub fn undef<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "undefined".into(), |v| v.to_string())
}

/// A value that JS prints as `null` when absent.
pub fn null<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "null".into(), |v| v.to_string())
}

/// An error as `e.code || e.message`.
pub fn code(e: &nodenet::Error) -> String {
    if e.code().is_empty() {
        e.message().to_string()
    } else {
        e.code().to_string()
    }
}

/// A write callback's error as JS prints `err && err.code` for an error that may be `null`.
pub fn cb_err(e: &Option<nodenet::Error>) -> String {
    e.as_ref().map_or_else(|| "null".into(), code)
}

/// A shared counter.
#[derive(Clone, Default)]
pub struct Count(Rc<Cell<usize>>);

impl Count {
    pub fn inc(&self) -> usize {
        self.0.set(self.0.get() + 1);
        self.0.get()
    }
    pub fn add(&self, n: usize) -> usize {
        self.0.set(self.0.get() + n);
        self.0.get()
    }
    pub fn get(&self) -> usize {
        self.0.get()
    }
}

/// A string as JavaScript's `JSON.stringify` prints it.
pub fn json(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One [`decode_round`] after another, in order, then `then`.
pub fn decode_rounds(
    port: u16,
    accepted: Rc<Cell<Option<Socket>>>,
    mut rounds: std::collections::VecDeque<(&'static str, &'static str, Vec<Vec<u8>>)>,
    then: impl FnOnce() + 'static,
) {
    let Some((name, encoding, pieces)) = rounds.pop_front() else {
        then();
        return;
    };
    let acc = accepted.clone();
    decode_round(port, accepted, name, encoding, pieces, move || {
        decode_rounds(port, acc, rounds, then)
    });
}

/// A client that decodes with `encoding` while the server sends `pieces` in lockstep (one
/// chunk each) and then ends; each `data` is printed as JSON (`name data "..."`), then
/// `end`; `then` runs at close (JS `decodeRound`).
pub fn decode_round(
    port: u16,
    accepted: Rc<Cell<Option<Socket>>>,
    name: &'static str,
    encoding: &'static str,
    pieces: Vec<Vec<u8>>,
    then: impl FnOnce() + 'static,
) {
    let c = net::connect((port, "127.0.0.1"));
    c.set_encoding(nodenet::net::Encoding::from_name(encoding).expect("known encoding"));
    c.on(Data, move |d| {
        out!("{name} data {}", json(d.as_str().unwrap_or_default()))
    });
    c.on(End, move |_| out!("{name} end"));
    let then = Cell::new(Some(then));
    c.on(Close, move |_| {
        if let Some(t) = then.take() {
            t();
        }
    });
    let go = Cell::new(Some((accepted, pieces)));
    c.on(Connect, move |_| {
        let Some((accepted, pieces)) = go.take() else {
            return;
        };
        let acc = accepted.clone();
        wait_until(
            move || acc.get().is_some(),
            move || {
                let s = accepted.take().expect("accepted");
                lockstep(s, c, pieces, move || {
                    s.end();
                });
            },
        );
    });
}
