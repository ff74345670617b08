//! 3000 corked writes (more buffers than one vectored write may carry: IOV_MAX is 1024) all
//! leave at uncork, in order: nothing stays queued, callbacks once each and in order, on
//! next tick; the peer gets every byte.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, Encoding, ServerOptions, events::*};

use super::s3_util::{Count, serve};

const N: usize = 3000;

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            let got = Rc::new(RefCell::new(String::new()));
            s.set_encoding(Encoding::Latin1);
            let g = got.clone();
            s.on(Data, move |d| {
                g.borrow_mut().push_str(d.as_str().unwrap_or_default())
            });
            s.on(End, move |_| {
                let got = got.borrow();
                let want: String = (0..N).map(|i| format!("{i:04}")).collect();
                note!("srvSock", "got all in order {}", *got == want);
            });
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            c.on(Connect, move |_| {
                c.cork();
                let cbs = Count::default();
                let in_order = Rc::new(Cell::new(true));
                for i in 0..N {
                    let (cbs, in_order) = (cbs.clone(), in_order.clone());
                    c.write_cb(format!("{i:04}"), move |_| {
                        if cbs.get() != i {
                            in_order.set(false);
                        }
                        cbs.inc();
                    });
                }
                out!("corked {} {}", c.writable_length(), c.bytes_written());
                c.uncork();
                out!(
                    "after uncork {} callbacks so far {}",
                    c.writable_length(),
                    cbs.get()
                );
                nodenet::next_tick(move || {
                    out!(
                        "next tick: callbacks {} in order {}",
                        cbs.get(),
                        in_order.get()
                    );
                    c.end();
                });
            });
            c.on(Close, move |_| {
                server.close();
            });
        },
    );
}
