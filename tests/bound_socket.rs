//! `BoundSocket` (Node 24's `net.BoundSocket`): who closes the descriptor (the bound
//! socket when dropped or closed, else whoever adopted it: never leaked, never closed
//! twice), Node's errors for bad options and after adoption, the port reservation
//! (EADDRINUSE while held by a listener), and adoption by a server or a socket.

use std::cell::RefCell;
use std::os::fd::RawFd;
use std::rc::Rc;

use nodenet::net::{
    self, BoundSocket, BoundSocketOptions, ConnectOptions, ListenOptions, Socket, SocketOptions,
    events::*,
};

type Log = Rc<RefCell<Vec<String>>>;

fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

fn push(l: &Log, line: impl Into<String>) {
    l.borrow_mut().push(line.into());
}

fn local() -> BoundSocketOptions {
    BoundSocketOptions::default().host("127.0.0.1")
}

fn bind_local() -> BoundSocket {
    BoundSocket::new(local()).expect("bind 127.0.0.1")
}

/// The identity of the open file behind `fd` (device and inode), `None` once closed.
/// Compared before and after, it tells a closed descriptor from its number reused by
/// another test's new socket.
fn identity(fd: RawFd) -> Option<(u64, u64)> {
    // SAFETY: stat is plain data; zeroed is a valid value.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: fstat only fills `st`; a closed descriptor is an error, not UB.
    let r = unsafe { libc::fstat(fd, &mut st) };
    (r == 0).then_some((st.st_dev, st.st_ino))
}

/// The bound socket's descriptor and its identity, to check later that it was closed.
fn watch(b: &BoundSocket) -> (RawFd, Option<(u64, u64)>) {
    let fd = b.fd().expect("not adopted yet");
    let id = identity(fd);
    assert!(id.is_some(), "the bound socket's descriptor is open");
    (fd, id)
}

fn closed((fd, id): (RawFd, Option<(u64, u64)>)) -> bool {
    identity(fd) != id
}

#[test]
fn a_bound_socket_never_adopted_is_closed_when_dropped() {
    let b = bind_local();
    let w = watch(&b);
    drop(b);
    assert!(closed(w));
}

#[test]
fn close_releases_the_socket_and_every_later_call_is_err_socket_handle_adopted() {
    let b = bind_local();
    let w = watch(&b);
    assert_eq!(b.close(), Ok(()));
    assert!(closed(w));
    let code = |r: Result<(), nodenet::Error>| r.map_err(|e| e.code().to_string());
    let adopted = Err("ERR_SOCKET_HANDLE_ADOPTED".to_string());
    assert_eq!(code(b.close()), adopted);
    assert_eq!(code(b.address().map(|_| ())), adopted);
    assert_eq!(code(b.fd().map(|_| ())), adopted);
    assert_eq!(code(ListenOptions::bound(&b).map(|_| ())), adopted);
    nodenet::run(move || {
        let r = Socket::from_bound(&b, SocketOptions::default());
        assert_eq!(
            r.map(|_| ()).unwrap_err().code(),
            "ERR_SOCKET_HANDLE_ADOPTED"
        );
    })
    .expect("run");
}

#[test]
fn bad_options_get_nodes_errors_and_bind_nothing() {
    let err = |o: BoundSocketOptions| BoundSocket::new(o).map(|_| ()).unwrap_err();
    for port in [65536.0, -1.0, 1.5, f64::NAN] {
        let e = err(BoundSocketOptions::default().port(port));
        assert_eq!(e.code(), "ERR_SOCKET_BAD_PORT", "port {port}");
    }
    let e = err(BoundSocketOptions::default().port("http"));
    assert_eq!(e.code(), "ERR_SOCKET_BAD_PORT");
    for host in ["localhost", "", "127.0.0.1:80", "1.2.3"] {
        let e = err(BoundSocketOptions::default().host(host));
        assert_eq!(e.code(), "ERR_INVALID_ARG_VALUE", "host {host:?}");
        assert!(e.message().contains("options.host"), "{}", e.message());
    }
    // A numeric string is a port, as in Node.
    let b = BoundSocket::new(local().port("0")).expect("port '0'");
    assert!(b.address().expect("address").port > 0);
}

#[test]
fn defaults_bind_any_ipv4_or_any_ipv6_with_ipv6_only() {
    let a = BoundSocket::new(BoundSocketOptions::default()).expect("bind");
    let a = a.address().expect("address");
    assert_eq!((a.address.as_str(), a.family), ("0.0.0.0", "IPv4"));
    let b = BoundSocket::new(BoundSocketOptions::default().ipv6_only(true)).expect("bind ::");
    let b = b.address().expect("address");
    assert_eq!((b.address.as_str(), b.family), ("::", "IPv6"));
    assert!(a.port > 0 && b.port > 0);
}

#[test]
fn a_port_a_listener_holds_is_refused_with_eaddrinuse_from_bind() {
    let held = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
    let port = held.local_addr().expect("addr").port();
    let e = BoundSocket::new(local().port(port)).unwrap_err();
    assert_eq!(e.code(), "EADDRINUSE");
    assert_eq!(e.syscall(), Some("bind"));
    assert_eq!(e.errno(), Some(-libc::EADDRINUSE));
    assert_eq!(e.message(), format!("bind EADDRINUSE 127.0.0.1:{port}"));
    assert_eq!((e.address(), e.port()), (Some("127.0.0.1"), Some(port)));
}

#[test]
fn a_bound_socket_a_server_listens_on_reserves_its_port() {
    nodenet::run(|| {
        let b = bind_local();
        let port = b.address().expect("address").port;
        let server = net::create_server();
        server
            .try_listen(ListenOptions::bound(&b).expect("fresh"))
            .expect("listen");
        let e = BoundSocket::new(local().port(port)).unwrap_err();
        assert_eq!(e.code(), "EADDRINUSE");
        server.close();
    })
    .expect("run");
}

#[test]
fn an_address_not_on_this_machine_is_eaddrnotavail_without_a_port() {
    let e = BoundSocket::new(BoundSocketOptions::default().host("10.99.99.99")).unwrap_err();
    assert_eq!(e.code(), "EADDRNOTAVAIL");
    assert_eq!(e.message(), "bind EADDRNOTAVAIL 10.99.99.99");
    assert_eq!(e.port(), None);
}

#[test]
fn a_server_that_adopted_a_bound_socket_listens_at_once_and_closes_it_on_close() {
    let l = log();
    let l2 = l.clone();
    let b = bind_local();
    let w = watch(&b);
    let port = b.address().expect("address").port;
    nodenet::run(move || {
        let server = net::create_server();
        server.on(Connection, |c| {
            c.end_with("hi");
        });
        let l3 = l2.clone();
        server.on(Listening, move |_| {
            push(&l3, "listening");
            let c = net::connect((port, "127.0.0.1"));
            let l4 = l3.clone();
            c.on(Data, move |d| push(&l4, format!("data {d}")));
            c.on(Close, move |_| {
                server.close();
            });
            c.set_encoding(net::Encoding::Utf8);
        });
        server
            .try_listen(ListenOptions::bound(&b).expect("fresh"))
            .expect("listen");
        push(&l2, format!("listening sync {}", server.listening()));
        assert_eq!(server.address().map(|a| a.port()), Some(port));
        assert_eq!(b.address().unwrap_err().code(), "ERR_SOCKET_HANDLE_ADOPTED");
    })
    .expect("run");
    assert_eq!(*l.borrow(), ["listening sync true", "listening", "data hi"]);
    assert!(closed(w), "the server closed the adopted descriptor");
}

#[test]
fn listening_again_on_a_busy_server_leaves_the_bound_socket_to_its_owner() {
    let l = log();
    let l2 = l.clone();
    nodenet::run(move || {
        let server = net::create_server();
        // Shared with the listener, which Rust may call more than once.
        let b = Rc::new(bind_local());
        let l3 = l2.clone();
        server.on(Error, move |e| push(&l3, format!("error {}", e.code())));
        let l3 = l2.clone();
        server.on(Listening, move |_| {
            // Node throws before it adopts: the bound socket stays its owner's.
            let e = server
                .try_listen(ListenOptions::bound(&b).expect("fresh"))
                .unwrap_err();
            push(&l3, format!("try_listen {}", e.code()));
            assert!(b.address().is_ok());
            // `listen` reports the same as an `error` on next tick.
            server.listen(ListenOptions::bound(&b).expect("fresh"));
            assert!(b.address().is_ok());
            let b = b.clone();
            nodenet::next_tick(move || {
                b.close().expect("still ours");
                server.close();
            });
        });
        server.listen((0, "127.0.0.1"));
    })
    .expect("run");
    assert_eq!(
        *l.borrow(),
        [
            "try_listen ERR_SERVER_ALREADY_LISTEN",
            "error ERR_SERVER_ALREADY_LISTEN"
        ]
    );
}

#[test]
fn options_made_from_a_bound_socket_are_one_claim_and_close_it_if_unused() {
    // Unused: the descriptor lives as long as the options or the bound socket.
    let b = bind_local();
    let w = watch(&b);
    let opts = ListenOptions::bound(&b).expect("fresh");
    drop(b);
    assert!(!closed(w), "the options still hold it");
    drop(opts);
    assert!(closed(w));
    // Shared: the first server takes it, the second is refused.
    nodenet::run(|| {
        let b = bind_local();
        let opts = ListenOptions::bound(&b).expect("fresh");
        let (s1, s2) = (net::create_server(), net::create_server());
        s1.try_listen(opts.clone()).expect("first");
        let e = s2.try_listen(opts).unwrap_err();
        assert_eq!(e.code(), "ERR_SOCKET_HANDLE_ADOPTED");
        assert!(s1.listening() && !s2.listening());
        s1.close();
    })
    .expect("run");
}

#[test]
fn listen_fails_on_a_port_another_bound_socket_listens_on() {
    let l = log();
    let l2 = l.clone();
    nodenet::run(move || {
        let a = bind_local();
        let port = a.address().expect("address").port;
        // Two sockets may bind one port while neither listens (SO_REUSEADDR).
        let b = BoundSocket::new(local().port(port)).expect("same port, no listener");
        let w = watch(&b);
        let (s1, s2) = (net::create_server(), net::create_server());
        s1.try_listen(ListenOptions::bound(&a).expect("fresh"))
            .expect("listen a");
        let l3 = l2.clone();
        s2.on(Error, move |e| {
            push(
                &l3,
                format!("{} {} {:?}", e.code(), e.message(), e.address()),
            );
            assert!(closed(w), "the failed listener closed it");
            s1.close();
        });
        s2.try_listen(ListenOptions::bound(&b).expect("fresh"))
            .expect("no throw");
        push(&l2, format!("listening {}", s2.listening()));
    })
    .expect("run");
    assert_eq!(
        *l.borrow(),
        [
            "listening false",
            "EADDRINUSE listen EADDRINUSE: address already in use None"
        ]
    );
}

#[test]
fn a_socket_that_adopted_a_bound_socket_closes_it_when_destroyed_unconnected() {
    let l = log();
    let l2 = l.clone();
    let b = bind_local();
    let w = watch(&b);
    nodenet::run(move || {
        let s = Socket::from_bound(&b, SocketOptions::default()).expect("adopt");
        assert!(!s.pending() && !s.connecting());
        assert_eq!(s.ready_state(), "open");
        assert_eq!(s.local_address().as_deref(), Some("127.0.0.1"));
        assert_eq!(b.fd().unwrap_err().code(), "ERR_SOCKET_HANDLE_ADOPTED");
        s.on(Close, move |had_error| {
            push(&l2, format!("close {had_error}"))
        });
        s.destroy();
    })
    .expect("run");
    assert_eq!(*l.borrow(), ["close false"]);
    assert!(closed(w));
}

#[test]
fn an_adopted_socket_that_is_never_connected_does_not_keep_the_loop_alive() {
    let b = bind_local();
    let w = watch(&b);
    let kept = Rc::new(RefCell::new(None));
    let k2 = kept.clone();
    nodenet::run(move || {
        let s = Socket::from_bound(&b, SocketOptions::default()).expect("adopt");
        *k2.borrow_mut() = Some(s);
    })
    .expect("the loop ends");
    // The loop's teardown frees what was left, descriptor included.
    assert!(closed(w));
}

#[test]
fn an_adopted_socket_connects_from_its_bound_port_and_closes_it_after() {
    let l = log();
    let l2 = l.clone();
    let b = bind_local();
    let w = watch(&b);
    let from = b.address().expect("address").port;
    nodenet::run(move || {
        let server = net::create_server();
        let l3 = l2.clone();
        server.on(Connection, move |c| {
            push(
                &l3,
                format!("peer port ok {}", c.remote_port() == Some(from)),
            );
            c.end_with("hi");
        });
        server.on(Listening, move |_| {
            let port = server.address().map(|a| a.port()).unwrap_or(0);
            let s = Socket::from_bound(&b, SocketOptions::default()).expect("adopt");
            let l4 = l2.clone();
            s.on(ConnectionAttempt, move |a| {
                push(&l4, format!("attempt {} {}", a.address, a.family))
            });
            let l4 = l2.clone();
            s.on(Connect, move |_| {
                push(
                    &l4,
                    format!("connect from {}", s.local_port() == Some(from)),
                )
            });
            let l4 = l2.clone();
            s.on(Data, move |d| push(&l4, format!("data {d}")));
            s.set_encoding(net::Encoding::Utf8);
            let l4 = l2.clone();
            s.on(Close, move |had_error| {
                push(&l4, format!("close {had_error}"));
                server.close();
            });
            s.connect((port, "127.0.0.1"));
        });
        server.listen((0, "127.0.0.1"));
    })
    .expect("run");
    let mut got = l.borrow().clone();
    // The accepting side's line may come before or after the client's connect.
    got.sort();
    assert_eq!(
        got,
        [
            "attempt 127.0.0.1 4",
            "close false",
            "connect from true",
            "data hi",
            "peer port ok true"
        ]
    );
    assert!(closed(w));
}

#[test]
fn a_refused_connect_from_a_bound_socket_is_one_failed_attempt_and_closes_it() {
    let l = log();
    let l2 = l.clone();
    // A port nothing listens on: bound and never listened.
    let dead = bind_local();
    let port = dead.address().expect("address").port;
    let b = bind_local();
    let w = watch(&b);
    nodenet::run(move || {
        let s = Socket::from_bound(&b, SocketOptions::default()).expect("adopt");
        let l3 = l2.clone();
        s.on(ConnectionAttemptFailed, move |a| {
            push(
                &l3,
                format!(
                    "failed {}",
                    a.error.map(|e| e.code().to_string()).unwrap_or_default()
                ),
            )
        });
        let l3 = l2.clone();
        s.on(Error, move |e| {
            push(
                &l3,
                format!("error {}", e.message().replace(&port.to_string(), "P")),
            )
        });
        let l3 = l2.clone();
        s.on(Close, move |had_error| {
            push(&l3, format!("close {had_error}"))
        });
        s.connect((port, "127.0.0.1"));
    })
    .expect("run");
    drop(dead);
    assert_eq!(
        *l.borrow(),
        [
            "failed ECONNREFUSED",
            "error connect ECONNREFUSED 127.0.0.1:P",
            "close true"
        ]
    );
    assert!(closed(w));
}

#[test]
fn an_ipv6_bound_socket_asked_for_an_ipv4_address_fails_with_einval_naming_its_side() {
    let l = log();
    let l2 = l.clone();
    let b = BoundSocket::new(BoundSocketOptions::default().host("::1")).expect("bind ::1");
    let w = watch(&b);
    let lp = b.address().expect("address").port;
    nodenet::run(move || {
        let s = Socket::from_bound(&b, SocketOptions::default()).expect("adopt");
        let l3 = l2.clone();
        s.on(ConnectionAttemptFailed, move |_| push(&l3, "failed"));
        let l3 = l2.clone();
        s.on(Error, move |e| {
            push(
                &l3,
                format!("{} {:?} {}", e.code(), e.syscall(), e.message()),
            )
        });
        let l3 = l2.clone();
        s.on(Close, move |had_error| {
            push(&l3, format!("close {had_error}"))
        });
        s.connect((9, "127.0.0.1"));
    })
    .expect("run");
    assert_eq!(
        *l.borrow(),
        [
            format!("EINVAL Some(\"connect\") connect EINVAL 127.0.0.1:9 - Local (::1:{lp})"),
            "close true".to_string()
        ]
    );
    assert!(closed(w));
}

#[test]
fn a_local_address_or_port_on_an_adopted_socket_is_refused() {
    let l = log();
    let l2 = l.clone();
    let b = bind_local();
    let w = watch(&b);
    nodenet::run(move || {
        let s = Socket::from_bound(&b, SocketOptions::default()).expect("adopt");
        // try_connect: Node's throw, and nothing started; the socket keeps its bound socket.
        for opts in [
            ConnectOptions {
                local_port: Some(1),
                ..(9, "127.0.0.1").into()
            },
            ConnectOptions {
                local_address: Some("127.0.0.1".into()),
                ..(9, "127.0.0.1").into()
            },
        ] {
            let e = s.try_connect(opts).unwrap_err();
            push(&l2, format!("try_connect {}", e.code()));
            assert!(!s.connecting() && !s.pending() && !s.destroyed());
            assert!(!closed(w));
        }
        // connect: the same error destroys the socket.
        let l3 = l2.clone();
        s.on(Error, move |e| push(&l3, format!("error {}", e.code())));
        let l3 = l2.clone();
        s.on(Close, move |had_error| {
            push(&l3, format!("close {had_error}"))
        });
        s.connect(ConnectOptions {
            local_port: Some(1),
            ..(9, "127.0.0.1").into()
        });
        assert!(s.destroyed());
    })
    .expect("run");
    assert_eq!(
        *l.borrow(),
        [
            "try_connect ERR_INVALID_ARG_VALUE",
            "try_connect ERR_INVALID_ARG_VALUE",
            "error ERR_INVALID_ARG_VALUE",
            "close true"
        ]
    );
    assert!(closed(w));
}

#[test]
fn writing_to_an_adopted_socket_never_connected_fails_with_epipe() {
    let l = log();
    let l2 = l.clone();
    let b = bind_local();
    let w = watch(&b);
    nodenet::run(move || {
        let s = Socket::from_bound(&b, SocketOptions::default()).expect("adopt");
        let l3 = l2.clone();
        let ret = s.write_cb("x", move |e| {
            push(
                &l3,
                format!("cb {}", e.map(|e| e.code().to_string()).unwrap_or_default()),
            )
        });
        push(&l2, format!("returned {ret}"));
        let l3 = l2.clone();
        s.on(Error, move |e| push(&l3, format!("error {}", e.message())));
        let l3 = l2.clone();
        s.on(Close, move |had_error| {
            push(&l3, format!("close {had_error}"))
        });
    })
    .expect("run");
    assert_eq!(
        *l.borrow(),
        [
            "returned false",
            "cb EPIPE",
            "error write EPIPE",
            "close true"
        ]
    );
    assert!(closed(w));
}

#[test]
fn ending_an_adopted_socket_never_connected_finishes_and_the_loop_ends() {
    let l = log();
    let l2 = l.clone();
    nodenet::run(move || {
        let b = bind_local();
        let s = Socket::from_bound(&b, SocketOptions::default()).expect("adopt");
        let l3 = l2.clone();
        s.on(Finish, move |_| {
            push(&l3, format!("finish {}", s.destroyed()))
        });
        let l3 = l2.clone();
        s.on(Close, move |_| push(&l3, "close"));
        let l3 = l2.clone();
        s.end_cb(move || push(&l3, "end cb"));
    })
    .expect("the loop ends once the shutdown's callbacks ran");
    assert_eq!(*l.borrow(), ["end cb", "finish false"]);
}

#[test]
fn a_unix_path_connect_on_an_adopted_tcp_socket_is_einval_at_once() {
    let l = log();
    let l2 = l.clone();
    let b = bind_local();
    let w = watch(&b);
    let lp = b.address().expect("address").port;
    let path = std::env::temp_dir()
        .join(format!("nodenet-bound-{}-none.sock", std::process::id()))
        .to_string_lossy()
        .into_owned();
    let p2 = path.clone();
    nodenet::run(move || {
        let s = Socket::from_bound(&b, SocketOptions::default()).expect("adopt");
        let l3 = l2.clone();
        s.on(Error, move |e| {
            push(
                &l3,
                format!("{} {:?} {}", e.code(), e.syscall(), e.message()),
            )
        });
        let l3 = l2.clone();
        s.on(Close, move |had_error| {
            push(&l3, format!("close {had_error}"))
        });
        s.connect(ConnectOptions::path(p2));
        // Refused inside connect(), as Node's handle refuses it.
        push(&l2, format!("connecting {}", s.connecting()));
    })
    .expect("run");
    assert_eq!(
        *l.borrow(),
        [
            "connecting false".to_string(),
            format!("EINVAL Some(\"connect\") connect EINVAL {path} - Local (127.0.0.1:{lp})"),
            "close true".to_string()
        ]
    );
    assert!(closed(w));
}
