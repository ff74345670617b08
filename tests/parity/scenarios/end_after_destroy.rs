//! end() on a socket destroyed before `close` (found by fuzz_socket, seed 1 case 6). Node's
//! end() on a stream destroyed without an error marks it ending: `writableEnded` reads
//! true, the end callback is kept for a `finish` that never comes (never called), and a
//! later write fails with ERR_STREAM_WRITE_AFTER_END. Destroyed with an error, or by
//! resetAndDestroy() (no error, the same as destroy()), and with data to end with (whose
//! write fails first): each as Node 24 answers. A second end() finds the stream ending
//! and destroyed: ERR_STREAM_DESTROYED. (After `close` nodenet's handle is stale and
//! answers ERR_STREAM_DESTROYED: its documented difference, not run here.)
use nodenet::net::{self, Encoding, Server, Socket, events::*};

use super::s3_util::cb_err;

type Case = (&'static str, fn(Socket));

/// end(cb), `writableEnded`, then write(cb).
fn end_and_write(c: Socket) {
    c.end_then(|e| out!(" end cb {}", cb_err(&e)));
    out!(" writableEnded {}", c.writable_ended());
    c.write_cb("x", |e| out!(" write cb {}", cb_err(&e)));
}

const CASES: &[Case] = &[
    ("destroy, end, write", |c| {
        c.destroy();
        end_and_write(c);
    }),
    ("destroy(error), end, write", |c| {
        c.on(Error, |e| out!(" error {}", e.code()));
        c.destroy_with(nodenet::Error::node("ERR_TEST", "boom"));
        end_and_write(c);
    }),
    ("resetAndDestroy, end, write", |c| {
        c.reset_and_destroy();
        end_and_write(c);
    }),
    ("destroy, end(data), write", |c| {
        c.destroy();
        c.end_with_cb("abc", Encoding::Utf8, |e| out!(" end cb {}", cb_err(&e)));
        out!(
            " writableEnded {} writableLength {}",
            c.writable_ended(),
            c.writable_length()
        );
        c.write_cb("x", |e| out!(" write cb {}", cb_err(&e)));
    }),
    ("destroy, end, end", |c| {
        c.destroy();
        c.end_then(|e| out!(" end cb 1 {}", cb_err(&e)));
        c.end_then(|e| out!(" end cb 2 {}", cb_err(&e)));
    }),
];

fn run_case(server: Server, port: u16, i: usize) {
    let Some(&(name, f)) = CASES.get(i) else {
        server.close();
        return;
    };
    out!("{name}");
    let c = net::connect((port, "127.0.0.1"));
    c.on(Connect, move |_| f(c));
    c.on(Close, move |h| {
        out!(" close {h}");
        nodenet::set_timeout(10, move || run_case(server, port, i + 1));
    });
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.resume();
        s.on(Error, |_| {});
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        run_case(server, port, 0);
    });
    server.listen((0, "127.0.0.1"));
}
