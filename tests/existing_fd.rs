//! Descriptors the user already has: a connected socket wrapped with `Socket::from_fd`
//! (Node's `new net.Socket({ fd })`) and a bound socket listened on with
//! `ListenOptions::fd` (Node's `server.listen({ fd })`), TCP and Unix; bytes both ways,
//! events in Node's order (no `connect` or `ready` for a wrapped socket), who closes the
//! descriptor, and Node's errors for descriptors that are not sockets.

use std::cell::RefCell;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::rc::Rc;
use std::thread::JoinHandle;

use nodenet::net::{self, ConnectOptions, ListenOptions, Socket, SocketOptions, events::*};

type Log = Rc<RefCell<Vec<String>>>;

fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

fn push(l: &Log, line: impl Into<String>) {
    l.borrow_mut().push(line.into());
}

fn temp_path(name: &str) -> String {
    let p = std::env::temp_dir().join(format!("nodenet-fd-{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&p);
    p.to_string_lossy().into_owned()
}

/// A regular file, open, its name already removed.
fn temp_file(name: &str) -> std::fs::File {
    let p = temp_path(name);
    let f = std::fs::File::create(&p).expect("temp file");
    let _ = std::fs::remove_file(&p);
    f
}

/// Whether `fd` is an open descriptor.
fn is_open(fd: RawFd) -> bool {
    // SAFETY: F_GETFD only reads the descriptor table.
    unsafe { libc::fcntl(fd, libc::F_GETFD) != -1 }
}

/// A new descriptor for what `fd` refers to, to hand over (the original stays ours).
fn dup(fd: RawFd) -> OwnedFd {
    // SAFETY: dup returns a new descriptor, which the OwnedFd owns alone.
    let d = unsafe { libc::dup(fd) };
    assert!(d >= 0, "dup");
    // SAFETY: `d` is open and nothing else owns it.
    unsafe { OwnedFd::from_raw_fd(d) }
}

/// The other end of a wrapped socket: sends `ping`, then reads to EOF and closes (its
/// FIN follows ours), and gives back what it read.
fn ping_then_read_to_eof(mut peer: impl Read + Write + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        peer.write_all(b"ping").expect("write");
        let mut got = String::new();
        peer.read_to_string(&mut got).expect("read");
        got
    })
}

/// Wrap `fd`, log its state and events; on `ping` answer `pong` and end.
fn wrap_and_answer(fd: impl Into<OwnedFd>, l: &Log) {
    let s = Socket::from_fd(fd, SocketOptions::default()).expect("a stream socket");
    push(
        l,
        format!(
            "created readable {} writable {} pending {} connecting {} {}",
            s.readable(),
            s.writable(),
            s.pending(),
            s.connecting(),
            s.ready_state()
        ),
    );
    let l2 = l.clone();
    s.on(Connect, move |_| push(&l2, "connect"));
    let l2 = l.clone();
    s.on(Ready, move |_| push(&l2, "ready"));
    let l2 = l.clone();
    s.on(Data, move |d| {
        push(
            &l2,
            format!("data {}", String::from_utf8_lossy(d.as_bytes())),
        );
        s.end_with("pong");
    });
    let l2 = l.clone();
    s.on(Finish, move |_| push(&l2, "finish"));
    let l2 = l.clone();
    s.on(End, move |_| push(&l2, "end"));
    let l2 = l.clone();
    s.on(Error, move |e| push(&l2, format!("error {}", e.code())));
    let l2 = l.clone();
    s.on(Close, move |h| push(&l2, format!("close {h}")));
}

/// What Node 24 printed for the same exchange over an inherited TCP socket (a child
/// process given the fd): open at once, no connect or ready, then data, finish, end,
/// close(false).
const NODE_ORDER: [&str; 5] = [
    "created readable true writable true pending false connecting false open",
    "data ping",
    "finish",
    "end",
    "close false",
];

#[test]
fn a_wrapped_unix_socketpair_end_talks_both_ways_with_no_connect_event() {
    let (ours, theirs) = std::os::unix::net::UnixStream::pair().expect("socketpair");
    let peer = ping_then_read_to_eof(theirs);
    let l = log();
    let l2 = l.clone();
    nodenet::run(move || wrap_and_answer(ours, &l2)).expect("run");
    assert_eq!(peer.join().expect("peer"), "pong");
    assert_eq!(*l.borrow(), NODE_ORDER);
}

#[test]
fn a_wrapped_tcp_connection_talks_both_ways_and_knows_its_addresses() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let ours = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let (theirs, _) = listener.accept().expect("accept");
    let peer = ping_then_read_to_eof(theirs);
    let l = log();
    let l2 = l.clone();
    nodenet::run(move || {
        wrap_and_answer(ours, &l2);
    })
    .expect("run");
    assert_eq!(peer.join().expect("peer"), "pong");
    assert_eq!(*l.borrow(), NODE_ORDER);
}

#[test]
fn a_wrapped_tcp_socket_reports_its_peer_and_its_options_apply() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let ours = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let (_theirs, _) = listener.accept().expect("accept");
    let l = log();
    let l2 = l.clone();
    nodenet::run(move || {
        let opts = SocketOptions {
            allow_half_open: true,
            high_water_mark: 1024,
            type_of_service: Some(0x10),
            ..SocketOptions::default()
        };
        let s = Socket::from_fd(ours, opts).expect("a stream socket");
        push(
            &l2,
            format!(
                "{} {} {} {} {} {:?}",
                s.remote_address().unwrap_or_default(),
                s.remote_port() == Some(port),
                s.remote_family().unwrap_or_default(),
                s.allow_half_open(),
                s.writable_high_water_mark(),
                s.type_of_service().ok()
            ),
        );
        s.destroy();
    })
    .expect("run");
    assert_eq!(*l.borrow(), ["127.0.0.1 true IPv4 true 1024 Some(16)"]);
}

#[test]
fn destroying_a_wrapped_socket_closes_the_descriptor_it_took() {
    let (ours, mut theirs) = std::os::unix::net::UnixStream::pair().expect("socketpair");
    nodenet::run(move || {
        let s = Socket::from_fd(ours, SocketOptions::default()).expect("socket");
        s.destroy();
    })
    .expect("run");
    // Our end is closed: the peer reads EOF at once.
    let mut buf = [0u8; 8];
    assert_eq!(theirs.read(&mut buf).expect("read"), 0);
}

#[test]
fn descriptors_that_are_not_stream_sockets_get_nodes_errors() {
    let file = temp_file("plain");
    let dev_null = std::fs::File::open("/dev/null").expect("/dev/null");
    let udp = std::net::UdpSocket::bind("127.0.0.1:0").expect("udp");
    let (pipe_r, pipe_w) = {
        let mut fds = [0; 2];
        // SAFETY: pipe fills the two descriptors, which are closed below.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        (fds[0], fds[1])
    };
    // Each is handed over as a duplicate (a refused one is closed with it).
    let cases: Vec<(RawFd, &str, &str)> = vec![
        (
            -1,
            "ERR_OUT_OF_RANGE",
            "The value of \"fd\" is out of range. It must be >= 0 && <= 2147483647. Received -1",
        ),
        (
            file.as_raw_fd(),
            "ERR_INVALID_FD_TYPE",
            "Unsupported fd type: FILE",
        ),
        (
            dev_null.as_raw_fd(),
            "ERR_INVALID_FD_TYPE",
            "Unsupported fd type: FILE",
        ),
        (
            udp.as_raw_fd(),
            "ERR_INVALID_FD_TYPE",
            "Unsupported fd type: UDP",
        ),
        (pipe_r, "ERR_INVALID_FD_TYPE", "Unsupported fd type: PIPE"),
    ];
    let got: Rc<RefCell<Vec<(String, String)>>> = Rc::default();
    let g = got.clone();
    let fds: Vec<RawFd> = cases.iter().map(|c| c.0).collect();
    nodenet::run(move || {
        for fd in fds {
            let r = if fd < 0 {
                // SAFETY: a negative number holds no descriptor.
                unsafe { Socket::from_raw_fd(fd, SocketOptions::default()) }
            } else {
                Socket::from_fd(dup(fd), SocketOptions::default())
            };
            let e = r.expect_err("refused");
            g.borrow_mut()
                .push((e.code().to_string(), e.message().to_string()));
        }
    })
    .expect("run");
    let want: Vec<(String, String)> = cases
        .iter()
        .map(|c| (c.1.to_string(), c.2.to_string()))
        .collect();
    assert_eq!(*got.borrow(), want);
    // What was not handed over is untouched.
    for fd in [
        file.as_raw_fd(),
        dev_null.as_raw_fd(),
        udp.as_raw_fd(),
        pipe_r,
        pipe_w,
    ] {
        assert!(is_open(fd), "fd {fd} was closed");
    }
    // SAFETY: the two pipe ends are ours and closed once.
    unsafe {
        libc::close(pipe_r);
        libc::close(pipe_w);
    }
}

/// Listen on `opts`, log `listening` (and whether `listening()` was true as `listen`
/// returned), answer each connection with `hi` and close after the first; `client` is
/// called once listening, with the server.
fn serve_once(opts: ListenOptions, l: &Log, client: impl Fn(net::Server) + 'static) {
    let server = net::create_server();
    let l2 = l.clone();
    server.on(Connection, move |s| {
        push(&l2, "connection");
        s.end_with("hi");
        server.close();
    });
    let l2 = l.clone();
    server.on(Listening, move |_| {
        push(&l2, "listening");
        client(server);
    });
    let l2 = l.clone();
    server.on(Error, move |e| {
        push(&l2, format!("error {} {}", e.code(), e))
    });
    let l2 = l.clone();
    server.on(Close, move |_| push(&l2, "server close"));
    server.listen(opts);
    push(l, format!("listen returned {}", server.listening()));
}

#[test]
fn a_server_listens_on_a_bound_tcp_listeners_descriptor_and_closes_it() {
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = std_listener.local_addr().expect("addr").port();
    let l = log();
    let l2 = l.clone();
    nodenet::run(move || {
        let l3 = l2.clone();
        serve_once(ListenOptions::fd(std_listener), &l2, move |server| {
            push(
                &l3,
                format!(
                    "address port {}",
                    server.address().map(|a| a.port()) == Some(port)
                ),
            );
            let c = net::connect((port, "127.0.0.1"));
            let l4 = l3.clone();
            c.on(Data, move |d| push(&l4, format!("client data {d}")));
        });
    })
    .expect("run");
    assert_eq!(
        *l.borrow(),
        [
            "listen returned true",
            "listening",
            "address port true",
            "connection",
            "client data <Buffer 68 69>",
            "server close",
        ]
    );
    // close() closed the listening descriptor: nothing accepts on the port any more.
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}

#[test]
fn a_server_listens_on_a_bound_but_not_listening_tcp_socket() {
    let sock =
        socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
    sock.bind(
        &"127.0.0.1:0"
            .parse::<std::net::SocketAddr>()
            .expect("addr")
            .into(),
    )
    .expect("bind");
    let port = sock
        .local_addr()
        .ok()
        .and_then(|a| a.as_socket())
        .map(|a| a.port())
        .expect("port");
    let l = log();
    let l2 = l.clone();
    nodenet::run(move || {
        let l3 = l2.clone();
        serve_once(ListenOptions::fd(sock), &l2, move |_| {
            let c = net::connect((port, "127.0.0.1"));
            let l4 = l3.clone();
            c.on(Data, move |d| push(&l4, format!("client data {d}")));
        });
    })
    .expect("run");
    assert_eq!(
        *l.borrow(),
        [
            "listen returned true",
            "listening",
            "connection",
            "client data <Buffer 68 69>",
            "server close",
        ]
    );
}

#[test]
fn a_server_listens_on_a_unix_listeners_descriptor_and_leaves_its_file() {
    let path = temp_path("listen.sock");
    let std_listener = std::os::unix::net::UnixListener::bind(&path).expect("bind");
    let l = log();
    let (l2, p) = (l.clone(), path.clone());
    nodenet::run(move || {
        let l3 = l2.clone();
        serve_once(ListenOptions::fd(std_listener), &l2, move |server| {
            // Node's address() is null for a Unix socket given as a descriptor.
            push(&l3, format!("address {:?}", server.address()));
            let c = net::connect(ConnectOptions::path(p.clone()));
            let l4 = l3.clone();
            c.on(Data, move |d| push(&l4, format!("client data {d}")));
        });
    })
    .expect("run");
    assert_eq!(
        *l.borrow(),
        [
            "listen returned true",
            "listening",
            "address None",
            "connection",
            "client data <Buffer 68 69>",
            "server close",
        ]
    );
    // nodenet did not create the file, so it does not remove it (as libuv).
    assert!(std::path::Path::new(&path).exists());
    let _ = std::fs::remove_file(&path);
}

#[test]
fn listening_on_a_descriptor_that_is_not_a_socket_is_an_error_event_on_next_tick() {
    let file = temp_file("listen-file");
    let (pipe_r, pipe_w) = {
        let mut fds = [0; 2];
        // SAFETY: pipe fills the two descriptors, which are closed below.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        (fds[0], fds[1])
    };
    let l = log();
    let l2 = l.clone();
    let file_fd = file.as_raw_fd();
    nodenet::run(move || {
        serve_once(ListenOptions::fd(dup(file_fd)), &l2, |_| {});
        let l3 = l2.clone();
        nodenet::next_tick(move || push(&l3, "tick"));
        serve_once(ListenOptions::fd(dup(pipe_r)), &l2, |_| {});
        let server = net::create_server();
        let e = server
            // SAFETY: a negative number holds no descriptor.
            .try_listen(unsafe { ListenOptions::from_raw_fd(-1) })
            .expect_err("refused");
        push(&l2, format!("fd -1 {}", e.code()));
    })
    .expect("run");
    assert_eq!(
        *l.borrow(),
        [
            "listen returned false",
            "listen returned false",
            "fd -1 ERR_INVALID_ARG_VALUE",
            "error EINVAL listen EINVAL: invalid argument",
            "tick",
            "error ENOTSOCK listen ENOTSOCK: socket operation on non-socket",
        ]
    );
    // The originals (duplicates were handed over) are untouched.
    assert!(is_open(file.as_raw_fd()) && is_open(pipe_r));
    // SAFETY: the two pipe ends are ours and closed once.
    unsafe {
        libc::close(pipe_r);
        libc::close(pipe_w);
    }
}
