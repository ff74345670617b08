//! write(string, encoding) for every encoding and some of its names, while connecting:
//! writableLength counts each string's length (UTF-16 units, whatever the encoding),
//! bytesWritten its encoded bytes; the server receives the encoded bytes, in order.
use std::cell::RefCell;
use std::rc::Rc;

use nodenet::net::{self, Encoding, ServerOptions, events::*};

use super::s3_util::{hex, json, serve};

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            let parts = Rc::new(RefCell::new(Vec::new()));
            let p = parts.clone();
            s.on(Data, move |d| {
                p.borrow_mut().extend_from_slice(d.as_bytes())
            });
            s.on(End, move |_| {
                note!("srvSock", "got {}", hex(&parts.borrow()))
            });
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            for (text, name) in [
                ("68656C6c6f", "hex"),
                ("aGk=", "base64"),
                ("_-8", "base64url"),
                ("+/8", "Base64"),
                ("héllo€", "latin1"),
                ("ÿ", "binary"),
                ("hé", "ascii"),
                ("hi€", "utf16le"),
                ("ok", "ucs2"),
                ("é😀", "UTF-16LE"),
                ("é😀", "utf8"),
                ("ü", "UTF-8"),
            ] {
                let enc = Encoding::from_name(name).expect("known");
                let r = c.write_with(text, enc, move |e| {
                    if let Some(e) = e {
                        out!("cb {name} {}", e.code());
                    }
                });
                out!(
                    "{name} {} {r} {} {}",
                    json(text),
                    c.writable_length(),
                    c.bytes_written()
                );
            }
            c.end();
            c.on(Close, move |_| {
                server.close();
            });
        },
    );
}
