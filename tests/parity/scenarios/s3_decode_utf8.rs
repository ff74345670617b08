//! setEncoding('utf8') across chunk boundaries, each piece one chunk: a 3-byte and a 4-byte
//! character split across chunks (a chunk that completes nothing gives no data event),
//! invalid bytes and a truncated sequence followed by ASCII (U+FFFD each), and a dangling
//! sequence at the FIN, flushed as U+FFFD before end.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{ServerOptions, Socket};

use super::s3_util::{decode_rounds, serve};

pub fn scenario() {
    let accepted: Rc<Cell<Option<Socket>>> = Rc::default();
    let acc = accepted.clone();
    serve(
        ServerOptions::default(),
        move |s| acc.set(Some(s)),
        move |server, port| {
            let pieces = vec![
                vec![0x61, 0xe2],
                vec![0x82],
                vec![0xac, 0x62],
                vec![0xf0, 0x9f],
                vec![0x98],
                vec![0x80, 0x63],
                vec![0xff, 0x64],
                vec![0xc3],
                vec![0x28, 0xed, 0xa0, 0x80, 0x65],
                vec![0xe2, 0x82],
            ];
            let rounds = [
                ("utf8:", "utf8", pieces),
                ("UTF-8 name:", "UTF-8", vec![vec![0xce], vec![0xbb, 0xce]]),
            ];
            decode_rounds(port, accepted, rounds.into(), move || {
                server.close();
            });
        },
    );
}
