//! destroySoon() with megabytes still queued for a client that reads nothing yet: the
//! socket ends at once (writableEnded) but is destroyed only once every byte has been
//! flushed and finish has come; the client, resuming 50 ms later, gets all of them.
use nodenet::net::{self, ServerOptions, events::*};

use super::s3_util::{Count, serve};

const TOTAL: usize = 8 << 20;

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            s.write(vec![100u8; TOTAL]);
            s.destroy_soon();
            note!(
                "srvSock",
                "after destroySoon() {} {} {} {}",
                s.destroyed(),
                s.writable_ended(),
                s.ready_state(),
                s.writable_length() > 0
            );
            s.on(Finish, move |_| {
                note!(
                    "srvSock",
                    "finish {} {}",
                    s.destroyed(),
                    s.writable_length()
                )
            });
            s.on(Close, move |e| {
                note!("srvSock", "close {e} {}", s.bytes_written())
            });
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            c.pause();
            nodenet::set_timeout(50, move || {
                let got = Count::default();
                let g = got.clone();
                c.on(Data, move |d| {
                    g.add(d.len());
                });
                c.on(End, move |_| {
                    note!("client", "end; got all {}", got.get() == TOTAL)
                });
                c.resume();
            });
            c.on(Close, move |e| {
                note!("client", "close {e}");
                server.close();
            });
        },
    );
}
