//! A peer that vanishes with data in flight (run in a network namespace of its own, with
//! tcp_retries2=3): once connected, nft drops every packet to the server's port, and the
//! client writes 100 bytes. The write's callback succeeds (the kernel took the bytes); the
//! retransmissions go unanswered until the kernel gives up after about 3 s, which Node
//! reports as `read ETIMEDOUT`, then close(true).
use std::cell::Cell;
use std::io::Write;
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::Instant;

use nodenet::net::{self, Socket, events::*};

use crate::harness::{error_brief, null};

const PORT: u16 = 5000;

/// Drop every packet to the server's port (5000) from now on (the namespace is this
/// thread's, and so `nft`'s).
pub fn drop_everything_to_the_server() {
    let mut nft = Command::new("nft")
        .args(["-f", "-"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("nft runs");
    if let Some(mut input) = nft.stdin.take() {
        let _ = input.write_all(
            b"table inet f {\n chain out {\n type filter hook output priority 0;\n tcp dport 5000 drop\n }\n}\n",
        );
    }
    let status = nft.wait().expect("nft ends");
    assert!(status.success(), "nft could not add the rule");
}

pub fn scenario() {
    let t0 = Instant::now();
    let accepted: Rc<Cell<Option<Socket>>> = Rc::default();
    let server = net::create_server();
    let a = accepted.clone();
    server.on(Connection, move |s| {
        a.set(Some(s));
        s.on(Data, |d| note!("server", "data {}", d.as_bytes().len()));
        s.on(Close, |h| note!("server", "socket close {h}"));
    });
    server.on(Listening, move |_| {
        let c = net::connect((PORT, "127.0.0.1"));
        c.on(Connect, move |_| {
            out!("connect");
            drop_everything_to_the_server();
            c.write_cb("x".repeat(100), |e| {
                out!("write callback {}", null(e.map(|e| e.code().to_string())))
            });
        });
        report_timed_out(c, t0, (2, 6), accepted.clone(), server);
    });
    server.listen((PORT, "127.0.0.1"));
}

/// The client's end once the kernel gives up on a peer that vanished: its error (code,
/// errno, syscall, message) and whether it came `secs` (from, to) after `t0`; at its close,
/// the accepted socket (which saw nothing) is destroyed and the server closed.
pub fn report_timed_out(
    c: Socket,
    t0: Instant,
    secs: (u32, u32),
    accepted: Rc<Cell<Option<Socket>>>,
    server: net::Server,
) {
    c.on(Error, move |e| {
        let s = t0.elapsed().as_secs_f64();
        out!("error {}", error_brief(&e));
        let (from, to) = secs;
        out!(
            "after {from}-{to} s {}",
            (f64::from(from)..f64::from(to)).contains(&s)
        );
    });
    c.on(Close, move |h| {
        out!("close {h}");
        if let Some(s) = accepted.take() {
            s.destroy();
        }
        server.close_cb(|_| note!("server", "close"));
    });
}
