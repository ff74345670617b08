//! setEncoding('base64') and ('base64url') across chunk boundaries, each piece one chunk:
//! bytes are encoded in whole 3-byte groups, the rest kept for the next chunk; the FIN
//! flushes what is left (padded with = in base64, unpadded in base64url).
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
                    "base64:",
                    "base64",
                    vec![
                        vec![0x61],
                        vec![0x62, 0x63],
                        vec![0x64],
                        vec![0x65, 0x66, 0x67, 0xfb, 0xff],
                        vec![0xbf],
                    ],
                ),
                (
                    "base64url:",
                    "base64url",
                    vec![
                        vec![0x61],
                        vec![0x62, 0x63],
                        vec![0x64],
                        vec![0x65, 0x66, 0x67, 0xfb, 0xff],
                        vec![0xbf],
                        vec![0xfe],
                    ],
                ),
                ("BASE64 tail 2:", "BASE64", vec![vec![0x68, 0x69]]),
            ];
            decode_rounds(port, accepted, rounds.into(), move || {
                server.close();
            });
        },
    );
}
