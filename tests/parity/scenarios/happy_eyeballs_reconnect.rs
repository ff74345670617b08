//! The attempted-addresses list outlives a reconnect: a happy-eyeballs connect to ::1 and
//! 127.0.0.1 on a refusing port fails, and its close listener connects the same socket to
//! 127.0.0.1 directly; the list still holds the two attempts through that connect.
use std::cell::Cell;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::rc::Rc;

use nodenet::net::{self, ConnectOptions, Resolver, Socket, events::*};

use crate::harness::REFUSED_PORT;

fn show(s: Socket) -> String {
    match s.auto_select_family_attempted_addresses() {
        None => "undefined".into(),
        Some(a) => a
            .iter()
            .map(|x| x.replace(&format!(":{REFUSED_PORT}"), ":R"))
            .collect::<Vec<_>>()
            .join(","),
    }
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |c| {
        c.end();
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let lookup = Resolver::new(|_host, _family| {
            Ok(vec![
                IpAddr::from(Ipv6Addr::LOCALHOST),
                IpAddr::from(Ipv4Addr::LOCALHOST),
            ])
        });
        let s = net::connect(ConnectOptions {
            lookup: Some(lookup),
            auto_select_family: true,
            ..(REFUSED_PORT, "example.test").into()
        });
        let again = Rc::new(Cell::new(false));
        s.on(Error, move |e| out!("error {} {}", e.code(), show(s)));
        s.on(Close, move |_| {
            out!("close {}", show(s));
            if again.replace(true) {
                server.close();
                return;
            }
            s.connect((port, "127.0.0.1"));
            out!("reconnecting {}", show(s));
            s.on(Connect, move |_| {
                out!("connect {}", show(s));
                s.end();
            });
        });
    });
    server.listen((0, "127.0.0.1"));
}
