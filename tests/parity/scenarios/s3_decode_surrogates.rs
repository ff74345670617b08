//! UTF-16 surrogate pairs split inside a code unit (odd byte offsets): Node may emit a chunk
//! ending in a lone high surrogate whose low half starts the next chunk; nodenet holds the
//! high surrogate back instead (a Rust String cannot hold half a pair). The joined text is
//! the same: that is what this prints, with its length in UTF-16 units.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, Encoding, ServerOptions, Socket, events::*};

use super::s3_util::{json, lockstep, serve, wait_until};

pub fn scenario() {
    let accepted: Rc<Cell<Option<Socket>>> = Rc::default();
    let acc0 = accepted.clone();
    serve(
        ServerOptions::default(),
        move |s| acc0.set(Some(s)),
        move |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            c.set_encoding(Encoding::Utf16le);
            let text = Rc::new(RefCell::new(String::new()));
            let t = text.clone();
            c.on(Data, move |d| {
                t.borrow_mut().push_str(d.as_str().unwrap_or_default())
            });
            c.on(End, move |_| {
                let t = text.borrow();
                out!(
                    "joined {} {} well formed true",
                    json(&t),
                    t.encode_utf16().count()
                );
                server.close();
            });
            c.on(Connect, move |_| {
                let acc = accepted.clone();
                let accepted = accepted.clone();
                wait_until(
                    move || acc.get().is_some(),
                    move || {
                        let s = accepted.take().expect("accepted");
                        let pieces = vec![
                            vec![0x3d],
                            vec![0xd8, 0x00],
                            vec![0xde, 0x3d, 0xd8, 0x02],
                            vec![0xde],
                            vec![0x3d, 0xd8, 0x03],
                            vec![0xde, 0x41, 0x00],
                        ];
                        lockstep(s, c, pieces, move || {
                            s.end();
                        });
                    },
                );
            });
        },
    );
}
