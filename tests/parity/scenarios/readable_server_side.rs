//! `readable` on accepted sockets of a pauseOnConnect server (paused, not flowing): the
//! first reads every chunk with read() until null, then the end's `readable` and `end`; a
//! `readable` listener added after `end` is never called. The second decodes UTF-8: a
//! chunk that is only the start of a character buffers nothing and brings no `readable`;
//! its handler destroys the socket after its first read. The third, resumed, unshifts
//! bytes before its resume's tick: Node's stream is still `sync` (no read asked for yet),
//! so they are buffered, and flow first on that tick.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, Encoding, ServerOptions, events::*};

use crate::harness::null;

fn client(port: u16, then: impl FnOnce() + 'static) {
    let c = net::connect((port, "127.0.0.1"));
    c.on(Connect, move |_| {
        c.write(&[0xe2u8, 0x82][..]);
        nodenet::set_timeout(20, move || {
            c.end_with(&[0xacu8, 0x41][..]);
        });
    });
    c.on(Error, |_| {});
    c.once(End, move |_| then());
    c.resume();
}

pub fn scenario() {
    let server = net::create_server_with(ServerOptions {
        pause_on_connect: true,
        ..Default::default()
    });
    let n = Rc::new(Cell::new(0));
    server.on(Connection, move |s| {
        let k = n.get();
        n.set(k + 1);
        out!("{k} conn {} {}", null(s.readable_flowing()), s.is_paused());
        if k == 2 {
            s.on(Data, move |d| {
                out!("{k} data {}", String::from_utf8_lossy(d.as_bytes()))
            });
            s.resume();
            out!(
                "{k} unshift {} {}",
                s.unshift(&b"ab"[..]),
                s.readable_length()
            );
            nodenet::next_tick(move || out!("{k} tick {}", s.readable_length()));
        } else if k == 0 {
            s.on(Readable, move |_| {
                out!("{k} readable {}", s.readable_length());
                while let Some(d) = s.read(None) {
                    out!("{k} read {}", String::from_utf8_lossy(d.as_bytes()));
                }
            });
        } else {
            s.set_encoding(Encoding::Utf8);
            s.on(Readable, move |_| {
                out!("{k} readable {}", s.readable_length());
                let d = s.read(None);
                out!(
                    "{k} read {}",
                    d.as_ref()
                        .and_then(|d| d.as_str())
                        .map_or("null".to_string(), |t| format!("\"{t}\""))
                );
                if d.is_some() {
                    s.destroy();
                    out!("{k} destroyed");
                }
            });
        }
        s.on(End, move |_| {
            out!("{k} end");
            s.on(Readable, move |_| out!("{k} late readable"));
            nodenet::next_tick(move || out!("{k} tick after late add"));
        });
        s.on(Close, move |_| {
            out!("{k} close");
            if k == 2 {
                server.close();
            }
        });
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        client(port, move || client(port, move || client(port, || {})));
    });
    server.listen((0, "127.0.0.1"));
}
