//! Node 24's net.BoundSocket: bound at once (defaults 0.0.0.0, or :: with ipv6Only; ::1
//! without it); a host that is not an IP literal and a bad port are refused; bind errors
//! come at once (EADDRINUSE on a port a server listens on, EADDRNOTAVAIL without the
//! port); close() returns nothing, and after it, or after an adoption, every call fails
//! with ERR_SOCKET_HANDLE_ADOPTED. Adopted by a socket: open, not pending, bound port as
//! its local port; connect to 'localhost' makes one lookup and one attempt, leaves from
//! the bound port, data flows, close(false). An IPv6-bound socket connecting to
//! 127.0.0.1: connect EINVAL naming the local side. Adopted by a server: listening at
//! once, the bound address, 'listening' next tick. A write before any connect: EPIPE;
//! an end: 'finish', no close.
//! Messages of Node's own errors are ours to word, so only their codes are printed; ports
//! are compared, never printed.
use nodenet::net::{
    self, AddressInfo, BoundSocket, BoundSocketOptions as O, ListenOptions, Socket, SocketOptions,
    events::*,
};

use crate::harness::{null, portless, undef};

fn t(label: &str, r: nodenet::Result<String>) {
    match r {
        Ok(v) => out!("{label} {v}"),
        Err(e) => out!("{label} throws {} {}", e.code(), undef(e.syscall())),
    }
}

fn shape(a: AddressInfo) -> String {
    format!("{} {} {}", a.address, a.family, a.port > 0)
}

fn bind(o: O) -> nodenet::Result<BoundSocket> {
    BoundSocket::new(o)
}

fn local() -> O {
    O::default().host("127.0.0.1")
}

pub fn scenario() {
    let shaped = |o: O| bind(o).and_then(|b| b.address()).map(shape);
    t("default", shaped(O::default()));
    t(
        "default fd",
        bind(O::default())
            .and_then(|b| b.fd())
            .map(|_| "number".to_string()),
    );
    t("ipv6Only", shaped(O::default().ipv6_only(true)));
    t("::1", shaped(O::default().host("::1")));
    t("127.0.0.1 ipv6Only", shaped(local().ipv6_only(true)));
    t("reusePort", shaped(local().reuse_port(true)));
    t("port string", shaped(local().port("0")));
    t(
        "host localhost",
        bind(O::default().host("localhost")).map(|_| String::new()),
    );
    t(
        "host empty",
        bind(O::default().host("")).map(|_| String::new()),
    );
    for port in [70000, -1] {
        if let Err(e) = bind(O::default().port(port)) {
            out!("port {port} throws {} {}", e.code(), e.message());
        }
    }
    {
        let a = bind(local()).expect("bind");
        let ap = a.address().expect("address").port;
        let b = bind(local().port(ap)).expect("same port");
        out!(
            "same port, no listener {}",
            b.address().expect("address").port == ap
        );
        a.close().expect("close");
        b.close().expect("close");
    }

    let srv = net::create_server();
    srv.on(Connection, |c| {
        c.end_with("hi");
    });
    srv.on(Listening, move |_| {
        let port = srv.address().map(|a| a.port()).unwrap_or(0);
        if let Err(e) = bind(local().port(port)) {
            out!(
                "in use throws {} {} {} {}",
                e.code(),
                undef(e.syscall()),
                undef(e.errno()),
                portless(e.message(), port)
            );
        }
        if let Err(e) = bind(O::default().host("10.99.99.99")) {
            out!(
                "not here throws {} {} {} {}",
                e.code(),
                undef(e.syscall()),
                undef(e.errno()),
                e.message()
            );
        }
        let b = bind(local()).expect("bind");
        t("close", b.close().map(|()| "undefined".to_string()));
        t("close again", b.close().map(|()| "undefined".to_string()));
        t("address after close", b.address().map(shape));
        t("fd after close", b.fd().map(|fd| fd.to_string()));
        t(
            "listen after close",
            ListenOptions::bound(&b).map(|_| String::new()),
        );
        t(
            "adopt after close",
            Socket::from_bound(&b, SocketOptions::default()).map(|_| String::new()),
        );

        let cb = bind(local()).expect("bind");
        let lp = cb.address().expect("address").port;
        let c = Socket::from_bound(&cb, SocketOptions::default()).expect("adopt");
        out!(
            "adopted {} {} {} {} {}",
            c.pending(),
            c.ready_state(),
            c.connecting(),
            c.local_port() == Some(lp),
            undef(c.local_address())
        );
        t(
            "adopt again",
            Socket::from_bound(&cb, SocketOptions::default()).map(|_| String::new()),
        );
        t("address after adopt", cb.address().map(shape));
        c.on(Lookup, |l| {
            out!(
                "lookup {} {} {}",
                null(l.error.map(|e| e.code().to_string())),
                undef(l.address),
                undef(l.family)
            )
        });
        c.on(ConnectionAttempt, move |a| {
            out!("attempt {} {} {}", a.address, a.port == port, a.family)
        });
        c.on(Connect, move |_| {
            out!(
                "connect {} {} {}",
                c.local_port() == Some(lp),
                undef(c.remote_address()),
                c.remote_port() == Some(port)
            )
        });
        c.on(Data, |d| {
            out!("data {}", String::from_utf8_lossy(d.as_bytes()))
        });
        c.on(Error, |e| out!("error {}", e.code()));
        c.on(Close, move |had_error| {
            out!("close {had_error}");
            v6_to_v4(srv, port);
        });
        c.connect((port, "localhost"));
    });
    srv.listen((0, "127.0.0.1"));
}

fn v6_to_v4(srv: net::Server, port: u16) {
    let b6 = bind(O::default().host("::1")).expect("bind ::1");
    let lp = b6.address().expect("address").port;
    let s = Socket::from_bound(&b6, SocketOptions::default()).expect("adopt");
    s.on(ConnectionAttempt, |a| {
        out!("v6 attempt {} {}", a.address, a.family)
    });
    s.on(Connect, |_| out!("v6 connected?"));
    s.on(Error, move |e| {
        out!(
            "v6 error {} {} {} {}",
            e.code(),
            undef(e.syscall()),
            undef(e.errno()),
            portless(&portless(e.message(), port), lp)
        )
    });
    s.on(Close, move |had_error| {
        out!("v6 close {had_error}");
        server_adopts(srv);
    });
    s.connect((port, "127.0.0.1"));
}

fn server_adopts(srv: net::Server) {
    let b = bind(local()).expect("bind");
    let before = b.address().expect("address").to_string();
    let s2 = net::create_server();
    let same = move || s2.address().map(|a| a.to_string()) == Some(before.clone());
    let same2 = same.clone();
    s2.on(Listening, move |_| {
        out!("listening {}", same2());
        s2.close_cb(move |_| {
            out!("closed");
            srv.close();
            write_unconnected();
        });
    });
    let opts = ListenOptions::bound(&b).expect("not adopted yet");
    if let Err(e) = s2.try_listen(opts) {
        out!("listen throws {}", e.code());
    }
    out!("listening sync {} {}", s2.listening(), same());
    t("address after listen", b.address().map(shape));
}

/// A write on an adopted socket that never connected goes to the kernel, which refuses it.
fn write_unconnected() {
    let b = bind(local()).expect("bind");
    let s = Socket::from_bound(&b, SocketOptions::default()).expect("adopt");
    let ret = s.write_cb("x", |err| {
        out!("write cb {}", null(err.map(|e| e.code().to_string())))
    });
    out!("write returned {ret}");
    s.on(Error, |e| {
        out!(
            "write error {} {} {}",
            e.code(),
            undef(e.syscall()),
            e.message()
        )
    });
    s.on(Close, |had_error| {
        out!("write close {had_error}");
        end_unconnected();
    });
}

/// end() on an adopted socket that never connected: the shutdown completes, `finish`
/// comes, and the socket stays (its readable side never ends), without keeping the loop
/// alive.
fn end_unconnected() {
    let b = bind(local()).expect("bind");
    let s = Socket::from_bound(&b, SocketOptions::default()).expect("adopt");
    s.on(Finish, move |_| out!("end finish {}", s.destroyed()));
    s.on(Error, |e| out!("end error {}", e.code()));
    s.on(Close, |had_error| out!("end close {had_error}"));
    s.end_cb(|| out!("end cb"));
}
