//! Addresses: listen(0) with no host binds :: at once; with a host, only by listening. An
//! IPv4 client of a :: server is seen as ::ffff:127.0.0.1; the ports of both ends match.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, ServerAddress, events::*};

use crate::harness::{null, undef};

pub fn scenario() {
    let any = net::create_server();
    any.listen(0);
    if let Some(ServerAddress::Inet(a)) = any.address() {
        out!(
            "listen(0): {} {} {} {}",
            any.listening(),
            a.address,
            a.family,
            a.port > 0
        );
    }
    let local = net::create_server();
    local.listen((0, "127.0.0.1"));
    out!(
        "listen(0, 127.0.0.1): {} {}",
        local.listening(),
        null(local.address())
    );
    local.on(Listening, move |_| {
        if let Some(ServerAddress::Inet(l)) = local.address() {
            out!("listening: {} {} {}", l.address, l.family, l.port > 0);
        }
        local.close();
    });

    let port = any.address().map(|a| a.port()).unwrap_or(0);
    let srv_remote_port = Rc::new(Cell::new(None));
    let srp = srv_remote_port.clone();
    any.on(Connection, move |s| {
        note!(
            "srvSock",
            "remote {} {} local {} {}",
            undef(s.remote_address()),
            undef(s.remote_family()),
            undef(s.local_address()),
            undef(s.local_family())
        );
        note!("srvSock", "ports {}", s.local_port() == Some(port));
        s.on(End, move |_| {
            s.end();
        });
        s.on(Close, move |_| {
            any.close();
        });
        srp.set(s.remote_port());
    });
    let c = net::connect((port, "127.0.0.1"));
    c.on(Connect, move |_| {
        note!(
            "client",
            "remote {} {} {}",
            undef(c.remote_address()),
            undef(c.remote_family()),
            c.remote_port() == Some(port)
        );
        note!(
            "client",
            "local {} {} {}",
            undef(c.local_address()),
            undef(c.local_family()),
            if c.local_port().is_some() {
                "number"
            } else {
                "undefined"
            }
        );
        if let Some(a) = c.address() {
            note!("client", "address() {} {}", a.address, a.family);
        }
        let srp = srv_remote_port.clone();
        nodenet::set_timeout(20, move || {
            note!(
                "client",
                "server sees my port {}",
                srp.get() == c.local_port()
            );
            c.end();
        });
    });
    c.on(Close, move |_| {
        note!(
            "client",
            "after close {} {}",
            undef(c.local_address()),
            undef(c.local_port())
        )
    });
}
