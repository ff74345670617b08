//! highWaterMark 0 on a connecting client: every write returns false but is kept and counted
//! once in bytesWritten; end('moi') leaves it opening; the server gets every byte, in order.
use std::cell::RefCell;
use std::rc::Rc;

use nodenet::net::{self, ConnectOptions, Encoding, ServerOptions, events::*};

use super::s3_util::{cb_err, serve};

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            let got = Rc::new(RefCell::new(String::new()));
            s.set_encoding(Encoding::Utf8);
            let g = got.clone();
            s.on(Data, move |d| g.borrow_mut().push_str(&d.to_string()));
            s.on(End, move |_| {
                note!("srvSock", "got {} {}", got.borrow(), s.bytes_read())
            });
        },
        |server, port| {
            let c = net::connect(ConnectOptions {
                high_water_mark: 0,
                ..(port, "127.0.0.1").into()
            });
            out!(
                "connecting {} {} {} {}",
                c.pending(),
                c.connecting(),
                c.ready_state(),
                c.writable_high_water_mark()
            );
            let r = c.write_cb("hello ", |e| out!("cb 1 {}", cb_err(&e)));
            out!("write {r} {} {}", c.writable_length(), c.bytes_written());
            let r = c.write_cb("wörld ".as_bytes(), |e| out!("cb 2 {}", cb_err(&e)));
            out!(
                "write {r} {} {} {}",
                c.writable_length(),
                c.bytes_written(),
                c.writable_need_drain()
            );
            c.end_with_cb("moi", Encoding::Utf8, |e| out!("end cb {}", cb_err(&e)));
            out!(
                "after end {} {} {} {}",
                c.ready_state(),
                c.writable_ended(),
                c.writable_length(),
                c.bytes_written()
            );
            c.on(Connect, move |_| {
                out!(
                    "connect {} {} {}",
                    c.ready_state(),
                    c.pending(),
                    c.connecting()
                )
            });
            c.on(Drain, |_| out!("drain"));
            c.on(Finish, move |_| {
                out!("finish {} {}", c.writable_length(), c.bytes_written())
            });
            c.on(Close, move |e| {
                out!("close {e} {} {}", c.pending(), c.bytes_written());
                server.close();
            });
        },
    );
}
