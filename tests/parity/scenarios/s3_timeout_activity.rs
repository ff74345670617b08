//! The idle timer is re-armed by activity: with setTimeout(100) on the client, the server
//! writes every 10 ms for 150 ms and no timeout fires; once it stops, exactly one timeout
//! fires after the last data, the socket stays open; the client then ends.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, ServerOptions, events::*};

use super::s3_util::{Count, serve};

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            let n = Count::default();
            let timer: Rc<Cell<Option<nodenet::Timer>>> = Rc::default();
            let t2 = timer.clone();
            timer.set(Some(nodenet::set_interval(10, move || {
                s.write("x");
                if n.inc() == 15
                    && let Some(t) = t2.get()
                {
                    nodenet::clear_interval(t);
                }
            })));
            s.on(End, move |_| {
                s.end();
            });
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            c.set_timeout(100);
            let got = Count::default();
            let timeouts = Count::default();
            let g = got.clone();
            c.on(Data, move |d| {
                g.add(d.len());
            });
            c.on(Timeout, move |_| {
                let k = timeouts.inc();
                out!(
                    "timeout {k} after all data {} {} {}",
                    got.get() == 15,
                    c.ready_state(),
                    c.destroyed()
                );
                let timeouts = timeouts.clone();
                nodenet::set_timeout(150, move || {
                    out!("timeouts {}", timeouts.get());
                    c.end();
                });
            });
            c.on(Close, move |e| {
                out!("close {e}");
                server.close();
            });
        },
    );
}
