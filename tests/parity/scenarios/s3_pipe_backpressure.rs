//! pipe() with backpressure: an echo server pipes each socket into itself while the client
//! sends 16 MiB and reads nothing for 100 ms: the echo's writes fill up, so the pipe pauses
//! its source (which stops reading, pushing back on the client), and resumes it on drain;
//! every byte comes back in order.
use std::cell::Cell;
use std::rc::Rc;

use bytes::Bytes;
use nodenet::net::{self, ServerOptions, events::*};

use super::s3_util::{Count, serve};

const TOTAL: usize = 16 << 20;

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            let paused = Rc::new(Cell::new(false));
            s.pipe(s);
            let p = paused.clone();
            let check = nodenet::set_interval(1, move || {
                if s.is_paused() {
                    p.set(true);
                }
            });
            s.on(End, move |_| {
                nodenet::clear_interval(check);
                note!(
                    "srvSock",
                    "end; source paused at some point {}",
                    paused.get()
                );
            });
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            c.pause();
            let got = Count::default();
            let same = Rc::new(Cell::new(true));
            let (g, sm) = (got.clone(), same.clone());
            c.on(Data, move |d| {
                let base = g.get();
                for (i, b) in d.as_bytes().iter().enumerate().step_by(4096) {
                    if *b as usize != (base + i) & 0xff {
                        sm.set(false);
                    }
                }
                g.add(d.len());
            });
            c.on(Connect, move |_| {
                let chunk = Bytes::from(
                    (0..64 * 1024)
                        .map(|i| (i & 0xff) as u8)
                        .collect::<Vec<u8>>(),
                );
                let mut blocked = false;
                for _ in (0..TOTAL).step_by(chunk.len()) {
                    if !c.write(chunk.clone()) {
                        blocked = true;
                    }
                }
                c.end();
                note!("client", "writes returned false {blocked}");
                nodenet::set_timeout(100, move || {
                    c.resume();
                });
            });
            c.on(End, move |_| {
                note!(
                    "client",
                    "end; got all {} in order {}",
                    got.get() == TOTAL,
                    same.get()
                )
            });
            c.on(Close, move |e| {
                note!("client", "close {e}");
                server.close();
            });
        },
    );
}
