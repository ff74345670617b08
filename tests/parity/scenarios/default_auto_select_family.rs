//! The process-wide happy-eyeballs defaults: their initial values, the attempt timeout's
//! range (ERR_OUT_OF_RANGE below 1 and above 2^31 - 1, 1 to 9 stored as 10), and a connect
//! made after `set_default_auto_select_family(false)`: of the two addresses the name has,
//! only the first is looked up and tried (one lookup event, one attempt), and it connects.
use nodenet::net::{self, ConnectOptions, Resolver, events::*};

use crate::harness::{lookup_line, undef};

pub fn scenario() {
    out!(
        "initial {} {}",
        net::get_default_auto_select_family(),
        net::get_default_auto_select_family_attempt_timeout()
    );
    for v in [0, -1, 1 << 31] {
        match net::set_default_auto_select_family_attempt_timeout(v) {
            Ok(()) => out!("set {v} accepted"),
            Err(e) => out!(
                "set {v} {} {} {}",
                e.code(),
                e.message(),
                net::get_default_auto_select_family_attempt_timeout()
            ),
        }
    }
    for v in [1, 9, 10, 11, (1 << 31) - 1, 250] {
        let r = net::set_default_auto_select_family_attempt_timeout(v);
        out!(
            "set {v} get {}{}",
            net::get_default_auto_select_family_attempt_timeout(),
            if r.is_err() { " (refused)" } else { "" }
        );
    }
    net::set_default_auto_select_family(false);
    out!("family default {}", net::get_default_auto_select_family());

    let server = net::create_server();
    server.on(Connection, |s| {
        s.end_with("hi");
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let lookup = Resolver::new(|_host, _family| {
            Ok(vec![
                std::net::Ipv4Addr::LOCALHOST.into(),
                std::net::Ipv6Addr::LOCALHOST.into(),
            ])
        });
        let c = net::connect(ConnectOptions {
            port,
            host: "example.test".into(),
            lookup: Some(lookup),
            ..Default::default()
        });
        c.on(Lookup, |l| out!("{}", lookup_line(&l)));
        c.on(ConnectionAttempt, move |a| {
            out!("attempt {} {} {}", a.address, a.port == port, a.family)
        });
        c.on(Connect, move |_| {
            out!("connect {}", undef(c.remote_address()))
        });
        c.on(Data, |d| out!("data {d}"));
        c.on(Close, move |h| {
            out!("close {h}");
            net::set_default_auto_select_family(true);
            out!("family default {}", net::get_default_auto_select_family());
            server.close();
        });
    });
    server.listen((0, "127.0.0.1"));
}
