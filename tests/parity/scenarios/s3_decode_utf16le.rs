//! setEncoding('utf16le') (and its names ucs2, UTF-16LE) across chunk boundaries, each piece
//! one chunk: a code unit split at an odd byte; a surrogate pair split between its halves
//! (held until complete); an odd byte left at the FIN is dropped.
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
            let rounds = [
                (
                    "utf16le:",
                    "utf16le",
                    vec![
                        vec![0x68],
                        vec![0x0, 0x69],
                        vec![0x0, 0xac, 0x20],
                        vec![0x3d, 0xd8],
                        vec![0x0, 0xde],
                        vec![0x21, 0x0, 0x3d, 0xd8],
                        vec![0x2, 0xde],
                        vec![0x41],
                    ],
                ),
                ("ucs2:", "ucs2", vec![vec![0x6f, 0x0, 0x6b]]),
                ("UTF-16LE:", "UTF-16LE", vec![vec![0xe9, 0x0]]),
            ];
            decode_rounds(port, accepted, rounds.into(), move || {
                server.close();
            });
        },
    );
}
