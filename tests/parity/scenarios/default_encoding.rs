//! Node's setDefaultEncoding: strings written without an encoding are encoded with the
//! default (hex, latin1, utf16le, base64), while connecting and corked too; an explicit
//! encoding wins; `writableLength` counts a string's UTF-16 units and `bytesWritten` the
//! bytes; end(string) uses it; a reconnect keeps it; setting utf8 again restores it; the
//! `defaultEncoding` option of a new socket sets it. The server prints each connection's
//! bytes in hex.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, ConnectOptions, Encoding, events::*};

use super::s3_util::{cb_err, hex};

pub fn scenario() {
    let server = net::create_server();
    let conns = Rc::new(Cell::new(0));
    server.on(Connection, move |s| {
        conns.set(conns.get() + 1);
        let n = conns.get();
        let got = Rc::new(std::cell::RefCell::new(Vec::new()));
        let g = got.clone();
        s.on(Data, move |d| {
            g.borrow_mut().extend_from_slice(d.as_bytes())
        });
        s.on(End, move |_| {
            out!("server got {n} {}", hex(&got.borrow()));
            s.end();
        });
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        out!(
            "returns the socket {}",
            c.set_default_encoding(Encoding::Hex) == c
        );
        c.write("6869");
        out!(
            "while connecting {} {}",
            c.writable_length(),
            c.bytes_written()
        );
        c.once(Connect, move |_| {
            c.write_cb("7a7a", |e| out!("write cb {}", cb_err(&e)));
            c.write_str("zz", Encoding::Utf8);
            c.set_default_encoding(Encoding::Latin1);
            c.write("é");
            c.set_default_encoding(Encoding::Utf16le);
            c.write("A");
            c.cork();
            c.set_default_encoding(Encoding::Hex);
            c.write("00ff");
            out!("corked {} {}", c.writable_length(), c.bytes_written());
            c.uncork();
            c.set_default_encoding(Encoding::Base64);
            out!("after {} {}", c.writable_length(), c.bytes_written());
            c.once(Finish, move |_| out!("finish {}", c.bytes_written()));
            c.end_with("d29ybGQ=");
        });
        let round = Rc::new(Cell::new(0));
        c.on(Close, move |_| {
            out!("close {} {}", round.get(), c.bytes_written());
            let r = round.get();
            round.set(r + 1);
            if r > 0 {
                // The `defaultEncoding` option of a new socket.
                let d = net::connect(ConnectOptions {
                    port,
                    host: "127.0.0.1".into(),
                    default_encoding: Encoding::Base64,
                    ..ConnectOptions::default()
                });
                d.end_with("b2s=");
                d.on(Close, move |_| {
                    server.close();
                });
                return;
            }
            c.connect((port, "127.0.0.1"));
            c.once(Connect, move |_| {
                c.write("aGk=");
                c.set_default_encoding(Encoding::Utf8);
                c.end_with("!");
            });
        });
    });
    server.listen((0, "127.0.0.1"));
}
