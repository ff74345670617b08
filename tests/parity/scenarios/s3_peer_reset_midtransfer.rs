//! The server writes 2 MiB chunks (with callbacks) to a client that reads a little, then
//! destroys itself with data unread, so the kernel answers with RST: on the server exactly
//! one error (ECONNRESET, or EPIPE), then close(true); every write callback exactly once,
//! in order, the failed ones with an error (Node's test-net-stream, test-net-error-twice).
use std::cell::Cell;
use std::rc::Rc;

use bytes::Bytes;
use nodenet::net::{self, ServerOptions, events::*};

use super::s3_util::{Count, serve};

pub fn scenario() {
    let chunk = Bytes::from(vec![122u8; 2 << 20]);
    serve(
        ServerOptions::default(),
        move |s| {
            let cbs = Count::default();
            let failed = Count::default();
            let in_order = Rc::new(Cell::new(true));
            let n = 10;
            for i in 0..n {
                let (cbs, failed, in_order) = (cbs.clone(), failed.clone(), in_order.clone());
                s.write_cb(chunk.clone(), move |e| {
                    if i != cbs.get() {
                        in_order.set(false);
                    }
                    cbs.inc();
                    if e.is_some() {
                        failed.inc();
                    }
                });
            }
            let errors = Count::default();
            let e2 = errors.clone();
            s.on(Error, move |e| {
                e2.inc();
                note!(
                    "srvSock",
                    "error {}",
                    ["ECONNRESET", "EPIPE"].contains(&e.code())
                );
            });
            s.on(Close, move |e| {
                note!(
                    "srvSock",
                    "close {e} errors {} callbacks {} in order {} some failed {}",
                    errors.get(),
                    cbs.get() == n,
                    in_order.get(),
                    failed.get() > 0
                );
            });
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            let got = Count::default();
            c.on(Data, move |d| {
                if got.add(d.len()) >= 1 << 20 && !c.is_paused() {
                    c.pause();
                    nodenet::set_timeout(20, move || {
                        note!("client", "destroy with data unread");
                        c.destroy();
                    });
                }
            });
            c.on(Close, move |e| {
                note!("client", "close {e}");
                server.close();
            });
        },
    );
}
