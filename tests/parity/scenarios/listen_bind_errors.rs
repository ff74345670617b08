//! Errors of bind, as events with Node's fields: a server on an address this host does not
//! have (192.0.2.1, TEST-NET-1) gets EADDRNOTAVAIL (syscall listen, the address and port)
//! and never listens; a client whose localPort is a listening server's port gets
//! EADDRINUSE from bind (the local address and port in the error), then close(true); a
//! client connecting to port 0 is refused (no port in the message). A port 0 is no port.
//! A client with only a localPort binds the any-address: bind EADDRINUSE 0.0.0.0:P.
use nodenet::net::{self, ConnectOptions, events::*};

use crate::harness::{portless, undef};

pub fn scenario() {
    let bad = net::create_server();
    bad.on(Listening, |_| out!("bad listening"));
    bad.on(Error, move |e| {
        out!(
            "listen error {} {} {} {} {}",
            e.code(),
            undef(e.syscall()),
            undef(e.address()),
            undef(e.port()),
            bad.listening()
        );
        out!("message {}", e.message());
        let s = net::create_server();
        s.once(Listening, move |_| {
            let port = s.address().map(|a| a.port()).unwrap_or(0);
            let c = net::connect(ConnectOptions {
                local_address: Some("127.0.0.1".into()),
                local_port: Some(port),
                ..(port, "127.0.0.1").into()
            });
            c.on(ConnectionAttempt, |_| out!("bound client attempt"));
            c.on(ConnectionAttemptFailed, |_| {
                out!("bound client attempt failed")
            });
            c.on(Connect, |_| out!("bound client connect"));
            c.on(Error, move |e| {
                out!(
                    "bind error {} {} {} {}",
                    e.code(),
                    undef(e.syscall()),
                    undef(e.address()),
                    e.port() == Some(port)
                );
                out!("message {}", portless(e.message(), port));
            });
            c.on(Close, move |h| {
                out!("bound client close {h}");
                s.close();
                let z = net::connect((0, "127.0.0.1"));
                z.on(Connect, |_| out!("port 0 connect"));
                z.on(Error, |e| {
                    out!(
                        "port 0 error {} {} {} {}",
                        e.code(),
                        undef(e.syscall()),
                        undef(e.address()),
                        undef(e.port())
                    );
                    out!("message {}", e.message());
                });
                z.on(Close, |h| {
                    out!("port 0 close {h}");
                    let t = net::create_server();
                    t.once(Listening, move |_| {
                        let tport = t.address().map(|a| a.port()).unwrap_or(0);
                        let w = net::connect(ConnectOptions {
                            local_port: Some(tport),
                            ..(tport, "127.0.0.1").into()
                        });
                        w.on(Error, move |e| {
                            out!(
                                "localPort error {} {} {} {}",
                                e.code(),
                                undef(e.syscall()),
                                undef(e.address()),
                                e.port() == Some(tport)
                            );
                            out!("message {}", portless(e.message(), tport));
                        });
                        w.on(Close, move |h| {
                            out!("localPort close {h}");
                            t.close();
                        });
                    });
                    t.listen(0u16);
                });
            });
        });
        s.listen((0, "127.0.0.1"));
    });
    bad.listen((0, "192.0.2.1"));
}
