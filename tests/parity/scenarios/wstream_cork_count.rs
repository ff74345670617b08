//! Ports of test-stream-writable-properties, test-stream-writableState-uncorked-
//! bufferedRequestCount and test-stream-writable-clear-buffer (writable side): uncork()
//! with no cork leaves writableCorked at 0; each cork() counts one and each uncork() takes
//! one, writes staying queued until the last; a write between a partial uncork and the
//! last joins the queue; end() while corked uncorks fully. Callbacks once each, in order,
//! then `finish`; the peer gets every byte in order.
use std::cell::RefCell;
use std::rc::Rc;

use nodenet::net::{self, Encoding, ServerOptions, Socket, events::*};

use super::s3_util::{cb_err, serve};

fn st(c: Socket, what: &str) {
    out!("{what} {} {}", c.writable_corked(), c.writable_length());
}

fn cb(c: Socket, name: &'static str) -> impl FnOnce(Option<nodenet::Error>) + 'static {
    move |e| out!("cb {name} {} {}", cb_err(&e), c.writable_corked())
}

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            let got = Rc::new(RefCell::new(String::new()));
            let g = got.clone();
            s.set_encoding(Encoding::Utf8);
            s.on(Data, move |d| g.borrow_mut().push_str(&d.to_string()));
            s.on(End, move |_| note!("peer", "got {}", got.borrow()));
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            c.on(Connect, move |_| {
                st(c, "fresh");
                c.uncork();
                st(c, "uncork at 0");
                c.cork();
                c.cork();
                st(c, "corked twice");
                c.write_cb("first;", cb(c, "first"));
                st(c, "first written");
                c.uncork();
                st(c, "one uncork");
                nodenet::next_tick(move || {
                    c.uncork();
                    st(c, "last uncork");
                    c.cork();
                    c.write_cb("third;", cb(c, "third"));
                    c.cork();
                    c.cork();
                    st(c, "corked thrice");
                    c.end_with_cb("end.", Encoding::Utf8, cb(c, "end"));
                    st(c, "ended");
                    c.uncork();
                    st(c, "uncork after end");
                });
                c.write_cb("second;", cb(c, "second"));
                st(c, "second written");
            });
            c.on(Finish, move |_| st(c, "finish"));
            c.on(Close, move |_| {
                server.close();
            });
        },
    );
}
