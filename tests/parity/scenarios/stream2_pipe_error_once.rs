//! Port of Node's test-stream2-pipe-error-once-listener, on sockets: a source S (a client
//! of a feeder server that writes `x` and waits) piped into a destination D (a client of a
//! sink server) whose only `error` listener is a `once` listener. D fails (destroy with an
//! error): the pipe's own error handler unpipes D and, finding the user's listener, does
//! not make the error uncaught; the listener hears it once; S is unpiped and paused; the
//! run ends normally.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, Socket, events::*};

use crate::harness::null;

pub fn scenario() {
    let sink = net::create_server();
    sink.on(Connection, |s| {
        s.on(Data, |d| note!("sink", "got {}", d.len()));
        s.on(Error, |_| {});
        s.on(Close, |_| note!("sink", "closed"));
    });
    let feed_side: Rc<Cell<Option<Socket>>> = Rc::default();
    let fs = feed_side.clone();
    let feeder = net::create_server();
    feeder.on(Connection, move |s| {
        fs.set(Some(s));
        s.on(Error, |_| {});
        s.write("x");
    });
    sink.on(Listening, move |_| {
        let feed_side = feed_side.clone();
        feeder.on(Listening, move |_| {
            let sink_port = sink.address().map_or(0, |a| a.port());
            let feed_port = feeder.address().map_or(0, |a| a.port());
            let d = net::connect((sink_port, "127.0.0.1"));
            d.once(Error, move |e| {
                out!(
                    "d error {} listeners now {}",
                    e.message(),
                    d.listener_count(Error)
                )
            });
            d.on(Unpipe, |_| out!("d unpipe"));
            let s = net::connect((feed_port, "127.0.0.1"));
            let feed_side = feed_side.clone();
            d.on(Close, move |h| {
                out!("d close {h}");
                out!(
                    "s flowing {} paused {}",
                    null(s.readable_flowing()),
                    s.is_paused()
                );
                s.destroy();
                if let Some(f) = feed_side.get() {
                    f.destroy();
                }
                sink.close();
                feeder.close();
            });
            d.on(Connect, move |_| {
                s.pipe(d);
                out!("piped");
            });
            let wait: Rc<Cell<Option<nodenet::Timer>>> = Rc::default();
            let w = wait.clone();
            wait.set(Some(nodenet::set_interval(5, move || {
                if s.bytes_read() == 1 && d.bytes_written() == 1 {
                    if let Some(t) = w.get() {
                        nodenet::clear_interval(t);
                    }
                    out!("x went through");
                    d.destroy_with(nodenet::Error::other("boom"));
                }
            })));
        });
        feeder.listen((0, "127.0.0.1"));
    });
    sink.listen((0, "127.0.0.1"));
}
