//! Encodings without state across chunks: hex, latin1/binary (every byte value maps to the
//! same code point), ascii (Node 24 clears the high bit); each chunk decodes on its own.
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
                    "hex:",
                    "hex",
                    vec![vec![0x61, 0xe2], vec![0x82], vec![0x0, 0xff]],
                ),
                (
                    "latin1:",
                    "latin1",
                    vec![(0..128u8).collect(), (128..=255u8).collect()],
                ),
                ("binary:", "binary", vec![vec![0xe9, 0x74, 0xe9]]),
                ("ascii:", "ascii", vec![vec![0x68, 0xe9, 0xff, 0x80]]),
            ];
            decode_rounds(port, accepted, rounds.into(), move || {
                server.close();
            });
        },
    );
}
