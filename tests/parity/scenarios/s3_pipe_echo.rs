//! The echo idiom socket.pipe(socket): the client sends 1 MiB in 16 KiB writes and ends;
//! every byte comes back; the client's end reaches the server, whose pipe ends its side, and
//! both close without error.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, ServerOptions, events::*};

use super::s3_util::{Count, serve};

const TOTAL: usize = 1 << 20;

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            out!("pipe returns dest {}", s.pipe(s) == s);
            s.on(End, move |_| note!("srvSock", "end {}", s.bytes_read()));
            s.on(Finish, move |_| {
                note!("srvSock", "finish {}", s.bytes_written())
            });
            s.on(Close, |e| note!("srvSock", "close {e}"));
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            let got = Count::default();
            let same = Rc::new(Cell::new(true));
            let (g, sm) = (got.clone(), same.clone());
            c.on(Data, move |d| {
                let base = g.get();
                for (i, b) in d.as_bytes().iter().enumerate() {
                    if *b as usize != (base + i) % 251 {
                        sm.set(false);
                    }
                }
                g.add(d.len());
            });
            c.on(Connect, move |_| {
                for off in (0..TOTAL).step_by(16 * 1024) {
                    let chunk: Vec<u8> = (0..16 * 1024).map(|i| ((off + i) % 251) as u8).collect();
                    c.write(chunk);
                }
                c.end();
            });
            c.on(End, move |_| {
                note!("client", "end; got {} same bytes {}", got.get(), same.get())
            });
            c.on(Close, move |e| {
                note!("client", "close {e}");
                server.close();
            });
        },
    );
}
