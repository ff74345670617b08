//! The `signal` option of servers and sockets: what the parity suite cannot compare with
//! Node (listener bookkeeping on the signal, and a pre-aborted socket, where nodenet keeps
//! to Node's documentation rather than Node 24's behaviour).

use std::cell::RefCell;
use std::rc::Rc;

use nodenet::net::{self, ConnectOptions, ListenOptions, Socket, SocketOptions, events::*};
use nodenet::{AbortController, AbortSignal};

type Log = Rc<RefCell<Vec<String>>>;

fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

fn push(log: &Log, line: impl Into<String>) {
    log.borrow_mut().push(line.into());
}

fn port(server: net::Server) -> u16 {
    server.address().map(|a| a.port()).unwrap_or(0)
}

#[test]
fn a_socket_made_with_an_aborted_signal_is_destroyed_and_never_connects() {
    let seen = log();
    let l = seen.clone();
    nodenet::run(move || {
        let ac = AbortController::new();
        ac.abort();
        let server = net::create_server();
        let ls = l.clone();
        server.on(Connection, move |s| {
            push(&ls, "server connection");
            s.destroy();
        });
        let lc = l.clone();
        server.on(Listening, move |_| {
            let opts = ConnectOptions::from((port(server), "127.0.0.1")).signal(ac.signal());
            let c = net::connect(opts);
            push(&lc, format!("destroyed {}", c.destroyed()));
            let (le, lx, lk) = (lc.clone(), lc.clone(), lc.clone());
            c.on(Connect, move |_| push(&lk, "connect"));
            c.on(Error, move |e| {
                push(&le, format!("error {} {}", e.code(), e.name()))
            });
            c.on(Close, move |h| {
                push(&lx, format!("close {h}"));
                // Long enough for a connect that went on to reach the server.
                nodenet::set_timeout(50, move || {
                    server.close();
                });
            });
            // Reconnecting a destroyed socket outside its `close` does nothing either.
            c.connect((port(server), "127.0.0.1"));
        });
        server.listen((0, "127.0.0.1"));
    })
    .expect("run");
    assert_eq!(
        *seen.borrow(),
        ["destroyed true", "error ABORT_ERR AbortError", "close true"]
    );
}

#[test]
fn a_socket_stops_listening_to_its_signal_once_destroyed() {
    let counts = log();
    let l = counts.clone();
    let kept: Rc<RefCell<Option<AbortController>>> = Rc::new(RefCell::new(None));
    let k = kept.clone();
    nodenet::run(move || {
        let kept = k;
        // One long-lived signal shared by several sockets, none of which it aborts.
        let ac = AbortController::new();
        let signal = ac.signal();
        let server = net::create_server();
        server.on(Connection, |s| {
            s.end();
        });
        let left = Rc::new(std::cell::Cell::new(3));
        server.on(Listening, move |_| {
            for _ in 0..3 {
                let c = Socket::new(SocketOptions {
                    signal: Some(signal.clone()),
                    ..Default::default()
                });
                c.connect((port(server), "127.0.0.1"));
                c.resume();
                let (signal, l, left) = (signal.clone(), l.clone(), left.clone());
                c.on(Close, move |h| {
                    left.set(left.get() - 1);
                    // Only sockets not closed yet may still listen, this one not.
                    let fine = signal.listener_count() <= left.get();
                    push(&l, format!("close {h} {fine}"));
                    if left.get() == 0 {
                        server.close();
                    }
                });
            }
            push(&l, format!("listening to {}", signal.listener_count()));
        });
        server.listen((0, "127.0.0.1"));
        *kept.borrow_mut() = Some(ac);
    })
    .expect("run");
    let ac = kept.borrow_mut().take().expect("controller");
    push(
        &counts,
        format!("after the loop {}", ac.signal().listener_count()),
    );
    // Each socket lets go of the signal at its destroy, before its `close`.
    assert_eq!(
        *counts.borrow(),
        [
            "listening to 3",
            "close false true",
            "close false true",
            "close false true",
            "after the loop 0"
        ]
    );
}

#[test]
fn a_server_stops_listening_to_its_signal_once_it_emits_close() {
    let seen = log();
    let l = seen.clone();
    let signal_out: Rc<RefCell<Option<AbortSignal>>> = Rc::new(RefCell::new(None));
    let so = signal_out.clone();
    nodenet::run(move || {
        let ac = AbortController::new();
        let signal = ac.signal();
        *so.borrow_mut() = Some(signal.clone());
        let server = net::create_server();
        let (l1, s1) = (l.clone(), signal.clone());
        server.on(Listening, move |_| {
            push(&l1, format!("listening {}", s1.listener_count()));
            server.close();
        });
        let (l2, s2) = (l.clone(), signal.clone());
        server.on(Close, move |_| {
            push(&l2, format!("close {}", s2.listener_count()));
        });
        server.listen(ListenOptions::from((0, "127.0.0.1")).signal(signal));
    })
    .expect("run");
    // The server's own `close` listener (added by listen) runs after the user's.
    assert_eq!(*seen.borrow(), ["listening 1", "close 1"]);
    let signal = signal_out.borrow_mut().take().expect("signal");
    assert_eq!(signal.listener_count(), 0);
}

#[test]
fn a_timeout_signal_destroys_a_connection_that_lasts_too_long() {
    let seen = log();
    let l = seen.clone();
    nodenet::run(move || {
        let server = net::create_server();
        server.on(Connection, move |s| {
            s.on(Close, move |_| {
                server.close();
            });
        });
        server.on(Listening, move |_| {
            let opts =
                ConnectOptions::from((port(server), "127.0.0.1")).signal(AbortSignal::timeout(30));
            let c = net::connect(opts);
            let (lc, le, lx) = (l.clone(), l.clone(), l.clone());
            c.on(Connect, move |_| push(&lc, "connect"));
            c.on(Error, move |e| {
                let cause = e.cause().map(|c| format!("{} {}", c.name(), c.message()));
                push(
                    &le,
                    format!("error {} / {}", e.code(), cause.unwrap_or_default()),
                );
            });
            c.on(Close, move |h| push(&lx, format!("close {h}")));
        });
        server.listen((0, "127.0.0.1"));
    })
    .expect("run");
    assert_eq!(
        *seen.borrow(),
        [
            "connect",
            "error ABORT_ERR / TimeoutError The operation was aborted due to timeout",
            "close true"
        ]
    );
}

#[test]
fn a_socket_wrapping_a_descriptor_is_destroyed_when_its_signal_aborts() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let ours = std::net::TcpStream::connect(listener.local_addr().expect("addr")).expect("dial");
    let (peer, _) = listener.accept().expect("accept");
    let seen = log();
    let l = seen.clone();
    nodenet::run(move || {
        let ac = AbortController::new();
        let opts = SocketOptions {
            signal: Some(ac.signal()),
            ..Default::default()
        };
        let s = Socket::from_fd(ours, opts).expect("a stream socket");
        let (le, lx) = (l.clone(), l.clone());
        s.on(Error, move |e| push(&le, format!("error {}", e.code())));
        s.on(Close, move |h| push(&lx, format!("close {h}")));
        nodenet::set_timeout(5, move || ac.abort());
    })
    .expect("run");
    drop(peer);
    assert_eq!(*seen.borrow(), ["error ABORT_ERR", "close true"]);
}

#[test]
fn a_server_listening_on_a_descriptor_or_a_path_closes_when_its_signal_aborts() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let path = std::env::temp_dir().join(format!("nodenet-abort-{}.sock", std::process::id()));
    let path = path.to_string_lossy().into_owned();
    let seen = log();
    let l = seen.clone();
    let p = path.clone();
    nodenet::run(move || {
        let ac = AbortController::new();
        let opts = [
            ("fd", ListenOptions::fd(listener).signal(ac.signal())),
            ("path", ListenOptions::path(p).signal(ac.signal())),
        ];
        for (name, opts) in opts {
            let server = net::create_server();
            let (ll, lc) = (l.clone(), l.clone());
            server.on(Listening, move |_| push(&ll, format!("{name} listening")));
            server.on(Close, move |_| push(&lc, format!("{name} close")));
            server.listen(opts);
        }
        nodenet::set_timeout(10, move || ac.abort());
    })
    .expect("run");
    let mut got = seen.borrow().clone();
    got.sort();
    assert_eq!(
        got,
        ["fd close", "fd listening", "path close", "path listening"]
    );
    assert!(!std::path::Path::new(&path).exists());
}
