//! A large UTF-8 string (40 Ki × 'あ', 120 KiB) written in one call arrives, with
//! setEncoding('UTF-8'), as the same 40960 characters (Node's test-net-large-string);
//! bytesWritten counts bytes, the peer's bytesRead too.
use std::cell::RefCell;
use std::rc::Rc;

use nodenet::net::{self, Encoding, ServerOptions, events::*};

use super::s3_util::serve;

pub fn scenario() {
    let text = "あ".repeat(40 * 1024);
    let t = text.clone();
    serve(
        ServerOptions::default(),
        move |s| {
            let got = Rc::new(RefCell::new(String::new()));
            s.set_encoding(Encoding::from_name("UTF-8").expect("known"));
            let g = got.clone();
            s.on(Data, move |d| {
                g.borrow_mut().push_str(d.as_str().unwrap_or_default())
            });
            let t = t.clone();
            s.on(End, move |_| {
                let got = got.borrow();
                note!(
                    "srvSock",
                    "end {} {} {}",
                    got.encode_utf16().count(),
                    *got == t,
                    s.bytes_read()
                );
                s.end();
            });
        },
        move |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            let r = c.write(text.clone());
            out!("write {r} {} {}", c.writable_length(), c.bytes_written());
            c.end();
            c.on(Close, move |e| {
                note!("client", "close {e} {}", c.bytes_written());
                server.close();
            });
        },
    );
}
