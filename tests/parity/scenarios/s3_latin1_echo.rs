//! latin1/binary round trip through an echo server: a string of all 256 code points
//! U+0000..U+00FF written as 'binary' comes back, decoded as 'latin1', unchanged
//! (Node's test-net-binary); one byte per character on the wire.
use std::cell::RefCell;
use std::rc::Rc;

use nodenet::net::{self, Encoding, ServerOptions, events::*};

use super::s3_util::serve;

pub fn scenario() {
    let text: String = (0..=255u8).map(char::from).collect();
    serve(
        ServerOptions::default(),
        |s| {
            s.pipe(s);
        },
        move |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            c.set_encoding(Encoding::Latin1);
            let got = Rc::new(RefCell::new(String::new()));
            let g = got.clone();
            c.on(Data, move |d| {
                g.borrow_mut().push_str(d.as_str().unwrap_or_default())
            });
            let binary = Encoding::from_name("binary").expect("known");
            let r = c.write_str(&text, binary);
            out!("write {r} {} {}", c.writable_length(), c.bytes_written());
            c.write_str(&text, Encoding::Latin1);
            c.end();
            c.on(End, move |_| {
                let got = got.borrow();
                out!(
                    "end {} {} {}",
                    got.chars().count(),
                    *got == format!("{text}{text}"),
                    c.bytes_read()
                );
            });
            c.on(Close, move |_| {
                server.close();
            });
        },
    );
}
