//! A user lookup that answers through its callback later, and one that never answers:
//! - answered after a 30 ms timer: `lookup`, then the connect goes on as usual;
//! - answered inside the call: the `lookup` event comes inside connect(), before the
//!   listener added after it;
//! - never answered: the socket stays connecting (`opening`), its idle timeout still fires,
//!   and a destroy closes it (with no `lookup` event);
//! - never answered and nothing else to wait for: the lookup keeps nothing alive, so the
//!   run ends with the socket still connecting (no `close`).
use nodenet::net::{self, ConnectOptions, Resolver, Server, events::*};

use crate::harness::{null, undef};

fn hung(server: Server) {
    let never = || Resolver::with_callback(|host, _family, _callback| out!("never asked {host}"));
    let b = net::connect(ConnectOptions {
        port: 1,
        host: "never.test".into(),
        lookup: Some(never()),
        ..Default::default()
    });
    b.set_timeout(50);
    b.on(Lookup, |_| out!("b lookup"));
    b.on(Timeout, move |_| {
        out!("b timeout {} {}", b.connecting(), b.ready_state())
    });
    b.on(Close, move |h| {
        out!("b close {h}");
        let c = net::connect(ConnectOptions {
            port: 1,
            host: "never.test".into(),
            lookup: Some(never()),
            ..Default::default()
        });
        c.on(Close, |_| out!("c close"));
        server.close_cb(|_| out!("server close"));
    });
    nodenet::set_timeout(150, move || {
        out!("destroying b {} {}", b.connecting(), b.ready_state());
        b.destroy();
    });
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end_with("hi");
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let later = Resolver::with_callback(|host, family, callback| {
            out!("later asked {host} {family}");
            nodenet::set_timeout(30, move || {
                out!("later answers");
                callback.answer(Ok(vec![std::net::Ipv4Addr::LOCALHOST.into()]));
            });
        });
        let a = net::connect(ConnectOptions {
            port,
            host: "later.test".into(),
            lookup: Some(later),
            ..Default::default()
        });
        a.on(Lookup, |l| {
            out!(
                "a lookup {} {} {} {}",
                null(l.error.map(|e| e.code().to_string())),
                undef(l.address),
                undef(l.family),
                l.host
            )
        });
        a.on(Connect, move |_| {
            out!("a connect {}", undef(a.remote_address()))
        });
        a.on(Data, |d| out!("a data {d}"));
        a.on(Close, move |h| {
            out!("a close {h}");
            let now = Resolver::with_callback(|host, _family, callback| {
                out!("now asked {host}");
                callback.answer(Ok(vec![std::net::Ipv4Addr::LOCALHOST.into()]));
                out!("now answered");
            });
            let d = net::connect(ConnectOptions {
                port,
                host: "now.test".into(),
                lookup: Some(now),
                ..Default::default()
            });
            out!("connect() returned");
            d.on(Lookup, |_| out!("d lookup"));
            d.on(Connect, |_| out!("d connect"));
            d.on(Close, move |h| {
                out!("d close {h}");
                hung(server);
            });
            d.resume();
        });
    });
    server.listen((0, "127.0.0.1"));
}
