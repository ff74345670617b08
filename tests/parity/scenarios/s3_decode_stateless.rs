//! Encodings without state across chunks: hex, latin1/binary (every byte value maps to the
//! same code point), ascii (Node 24 clears the high bit); each chunk decodes on its own.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{ServerOptions, Socket};

use super::s3_util::{decode_round, serve};

pub fn scenario() {
    let accepted: Rc<Cell<Option<Socket>>> = Rc::default();
    let acc0 = accepted.clone();
    serve(
        ServerOptions::default(),
        move |s| acc0.set(Some(s)),
        move |server, port| {
            let acc = accepted.clone();
            decode_round(
                port,
                accepted,
                "hex:",
                "hex",
                vec![vec![0x61, 0xe2], vec![0x82], vec![0x0, 0xff]],
                move || {
                    decode_round(
                        port,
                        acc.clone(),
                        "latin1:",
                        "latin1",
                        vec![(0..128u8).collect(), (128..=255u8).collect()],
                        move || {
                            decode_round(
                                port,
                                acc.clone(),
                                "binary:",
                                "binary",
                                vec![vec![0xe9, 0x74, 0xe9]],
                                move || {
                                    decode_round(
                                        port,
                                        acc.clone(),
                                        "ascii:",
                                        "ascii",
                                        vec![vec![0x68, 0xe9, 0xff, 0x80]],
                                        move || {
                                            server.close();
                                        },
                                    )
                                },
                            )
                        },
                    )
                },
            );
        },
    );
}
