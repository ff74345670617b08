//! destroy() with writes pending, peer not reading: the write the kernel could not finish
//! (in flight) gets ECANCELED, the writes queued behind it get the destroy error (ECANCELED
//! when there is none); destroy(err) emits error first; then close.
use std::rc::Rc;

use bytes::Bytes;
use nodenet::net::{self, Server, ServerOptions, events::*};

use super::s3_util::{Count, cb_err, code, serve, undef};

fn round(
    port: u16,
    name: &'static str,
    err: Option<nodenet::Error>,
    then: impl FnOnce() + 'static,
) {
    let chunk = Bytes::from(vec![97u8; 1 << 20]);
    let c = net::connect((port, "127.0.0.1"));
    c.on(Connect, move |_| {
        let writes = Count::default();
        let ok_cbs = Count::default();
        let cb = |i: usize| {
            let (writes, ok_cbs) = (writes.clone(), ok_cbs.clone());
            move |e: Option<nodenet::Error>| {
                if i + 1 < writes.get() && e.is_none() {
                    ok_cbs.inc();
                } else {
                    out!(
                        "{name} cb of the write that returned false {} {} {} earlier callbacks ok {}",
                        cb_err(&e),
                        undef(e.as_ref().and_then(|e| e.syscall())),
                        undef(e.as_ref().and_then(|e| e.errno())),
                        ok_cbs.get() + 1 == writes.get()
                    );
                }
            }
        };
        loop {
            let i = writes.get();
            writes.inc();
            if !c.write_cb(chunk.clone(), cb(i)) {
                break;
            }
        }
        c.write_cb("x", move |e| out!("{name} cb x {}", cb_err(&e)));
        c.write_cb("y", move |e| out!("{name} cb y {}", cb_err(&e)));
        let err = err.clone();
        nodenet::set_timeout(20, move || {
            match err {
                Some(e) => c.destroy_with(e),
                None => c.destroy(),
            };
            out!("{name} destroyed {} {}", c.destroyed(), c.writable_length());
            nodenet::next_tick(move || out!("{name} next tick"));
        });
    });
    c.on(Error, move |e| out!("{name} error {}", code(&e)));
    let then = std::cell::Cell::new(Some(then));
    c.on(Close, move |e| {
        out!("{name} close {e}");
        if let Some(t) = then.take() {
            t();
        }
    });
}

pub fn scenario() {
    let server: Rc<std::cell::Cell<Option<Server>>> = Rc::default();
    let sv = server.clone();
    serve(
        ServerOptions {
            pause_on_connect: true,
            ..Default::default()
        },
        |_| {},
        move |server, port| {
            sv.set(Some(server));
            round(
                port,
                "with error:",
                Some(nodenet::Error::other("boom")),
                move || {
                    round(port, "without:", None, move || {
                        server.close();
                    })
                },
            );
        },
    );
}
