//! setEncoding() on a paused socket with bytes already buffered decodes them at once:
//! readableLength changes from bytes to characters, an unfinished character stays in the
//! decoder and is completed by the next chunk; data then brings strings.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, Chunk, Encoding, ServerOptions, Socket, events::*};

use super::s3_util::{json, lockstep, serve, undef, wait_until};

pub fn scenario() {
    let srv: Rc<Cell<Option<Socket>>> = Rc::default();
    let s2 = srv.clone();
    serve(
        ServerOptions::default(),
        move |s| s2.set(Some(s)),
        move |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            c.on(Connect, move |_| {
                let srv2 = srv.clone();
                let srv = srv.clone();
                wait_until(
                    move || srv2.get().is_some(),
                    move || {
                        let s = srv.get().expect("accepted");
                        let pieces = vec![vec![0x68, 0xc3, 0xa9], vec![0x21, 0xe2, 0x82]];
                        lockstep(s, c, pieces, move || {
                            let enc = move || undef(c.readable_encoding().map(|e| e.name()));
                            out!(
                                "buffered {} {}",
                                c.readable_length(),
                                enc().replace("undefined", "null")
                            );
                            c.set_encoding(Encoding::Utf8);
                            out!("after setEncoding {} {}", c.readable_length(), enc());
                            c.on(Data, |d| {
                                let kind = match d {
                                    Chunk::Str(_) => "string",
                                    Chunk::Bytes(_) => "object",
                                };
                                out!("data {} {kind}", json(&d.to_string()))
                            });
                            c.pause();
                            lockstep(s, c, vec![vec![0xac, 0x3f]], move || {
                                out!("more {}", c.readable_length());
                                c.resume();
                                s.end();
                            });
                        });
                    },
                );
            });
            c.on(End, |_| out!("end"));
            c.on(Close, move |_| {
                server.close();
            });
        },
    );
}
