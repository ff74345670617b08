//! A local port held in TIME_WAIT (run in a network namespace of its own, fixed ports,
//! tcp_tw_reuse off): the client connects from local port 45002 and closes first, so its
//! side of the connection waits in TIME_WAIT. Binding that port again works, as libuv sets
//! SO_REUSEADDR before the bind (without it the bind fails with EADDRINUSE): a connect
//! from it to another server goes through, and so does one to the first server again.
use nodenet::net::{self, ConnectOptions, Server, events::*};

use crate::harness::undef;

const LOCAL_PORT: u16 = 45002;

fn from(port: u16, then: impl FnOnce() + 'static) {
    let c = net::connect(ConnectOptions {
        port,
        host: "127.0.0.1".into(),
        local_port: Some(LOCAL_PORT),
        ..Default::default()
    });
    c.on(Connect, move |_| {
        out!("connect {port} {}", c.local_port() == Some(LOCAL_PORT))
    });
    c.on(Data, move |d| {
        out!("data {port} {d}");
        c.end();
    });
    c.on(End, move |_| out!("end {port}"));
    c.on(Error, move |e| {
        out!(
            "error {port} {} {} {} {} {}",
            e.code(),
            undef(e.syscall()),
            undef(e.address()),
            undef(e.port()),
            e.message()
        )
    });
    let mut then = Some(then);
    c.on(Close, move |h| {
        out!("close {port} {h}");
        if let Some(f) = then.take() {
            f();
        }
    });
}

fn server(port: u16) -> Server {
    let s = net::create_server();
    s.on(Connection, move |c| {
        note!(
            &format!("server {port}"),
            "connection {}",
            c.remote_port() == Some(LOCAL_PORT)
        );
        c.write("hi");
    });
    s.listen((port, "127.0.0.1"));
    s
}

pub fn scenario() {
    let servers = [server(5000), server(5001)];
    servers[1].on(Listening, move |_| {
        from(5000, move || {
            from(5001, move || {
                from(5000, move || {
                    for s in servers {
                        s.close();
                    }
                })
            })
        });
    });
}
