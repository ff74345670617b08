//! `resetAndDestroy()` while the writable side's shutdown is under way: between the
//! flushed `end()` and `finish`, libuv refuses the reset. Measured on Node 24.19 (the
//! client ends first, the server, with allowHalfOpen, calls `end()` in its `end` listener
//! and resets in the same callback or a tick later): the server socket emits `error`
//! `reset EINVAL`, the client gets its `end` (the FIN, no reset) and `close(false)`; Node
//! then emits no `close` for the server socket and the process never exits (the handle
//! stays open). nodenet follows Node up to there and then closes: `close(true)`, and the
//! loop returns. The parity scenario `reset_after_end` covers the cases Node finishes.

use std::cell::RefCell;
use std::rc::Rc;

use nodenet::net::{self, ConnectOptions, ServerOptions, events::*};

fn trace(in_tick: bool) -> Vec<String> {
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = log.clone();
    let run = nodenet::run(move || {
        let server = net::create_server_with(ServerOptions {
            allow_half_open: true,
            ..ServerOptions::default()
        });
        let ls = l.clone();
        server.on(Connection, move |s| {
            s.resume();
            let push = |l: &Rc<RefCell<Vec<String>>>, x: String| l.borrow_mut().push(x);
            let (a, b, c, d) = (ls.clone(), ls.clone(), ls.clone(), ls.clone());
            s.on(Error, move |e| {
                push(
                    &a,
                    format!(
                        "server error {} {:?} {}",
                        e.code(),
                        e.syscall(),
                        e.message()
                    ),
                )
            });
            s.on(Finish, move |_| push(&b, "server finish".into()));
            s.on(Close, move |h| {
                push(&c, format!("server close {h}"));
                server.close();
            });
            s.on(End, move |_| {
                push(&d, "server end".into());
                s.end();
                if in_tick {
                    nodenet::next_tick(move || {
                        s.reset_and_destroy();
                    });
                } else {
                    s.reset_and_destroy();
                }
            });
        });
        let lc = l.clone();
        server.on(Listening, move |_| {
            let port = server.address().map(|a| a.port()).unwrap_or(0);
            let c = net::connect(ConnectOptions {
                allow_half_open: true,
                ..ConnectOptions::from((port, "127.0.0.1"))
            });
            c.on(Connect, move |_| {
                c.end();
            });
            c.resume();
            let (a, b, d) = (lc.clone(), lc.clone(), lc.clone());
            c.on(End, move |_| a.borrow_mut().push("client end".into()));
            c.on(Error, move |e| {
                b.borrow_mut().push(format!("client error {}", e.code()))
            });
            c.on(Close, move |h| {
                d.borrow_mut().push(format!("client close {h}"))
            });
        });
        server.listen((0, "127.0.0.1"));
    });
    assert!(run.is_ok(), "{run:?}");
    let mut out = log.borrow().clone();
    // The two ends' orders are each fixed; their interleaving is the kernel's.
    out.sort_by_key(|l| !l.starts_with("server"));
    out
}

#[test]
fn reset_in_the_end_callback_is_refused_and_the_peer_gets_the_fin() {
    for in_tick in [false, true] {
        assert_eq!(
            trace(in_tick),
            [
                "server end",
                "server error EINVAL Some(\"reset\") reset EINVAL",
                "server close true",
                "client end",
                "client close false",
            ],
            "reset in_tick={in_tick}"
        );
    }
}

/// With no handle there is no shutdown to refuse the reset: `end()` then `resetAndDestroy()`
/// on a socket never connected gives Node's ERR_SOCKET_CLOSED, as a reset alone does; the
/// `finish` that `end()` queued still comes first, with the end callback and no error
/// (Node 24: end callback, `finish`, the error, `close`).
#[test]
fn with_no_handle_the_reset_after_end_is_err_socket_closed() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = log.clone();
    let run = nodenet::run(move || {
        let s = net::Socket::new(net::SocketOptions::default());
        let (a, b, c, d) = (l.clone(), l.clone(), l.clone(), l.clone());
        s.on(Finish, move |_| c.borrow_mut().push("finish".to_string()));
        s.on(Error, move |e| {
            a.borrow_mut().push(format!("error {}", e.code()))
        });
        s.on(Close, move |h| b.borrow_mut().push(format!("close {h}")));
        s.end_then(move |e| d.borrow_mut().push(format!("end cb {}", e.is_some())));
        s.reset_and_destroy();
        l.borrow_mut().push(format!("after {}", s.destroyed()));
    });
    assert!(run.is_ok(), "{run:?}");
    assert_eq!(
        *log.borrow(),
        [
            "after true",
            "end cb false",
            "finish",
            "error ERR_SOCKET_CLOSED",
            "close true"
        ]
    );
}
