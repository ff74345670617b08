//! Happy eyeballs with nothing listening: both attempts refused, one aggregate error
//! carrying the first error's code and every error in attempt order, then close(true).
use std::net::IpAddr;

use nodenet::net::{self, ConnectOptions, Resolver, events::*};

use crate::harness::{REFUSED_PORT, portless, undef};

pub fn scenario() {
    let port = REFUSED_PORT;
    let lookup = Resolver::new(|_, _| {
        Ok(vec![
            "::1".parse::<IpAddr>().unwrap(),
            "127.0.0.1".parse().unwrap(),
        ])
    });
    let c = net::connect(ConnectOptions {
        port,
        host: "example.test".into(),
        lookup: Some(lookup),
        ..Default::default()
    });
    c.on(ConnectionAttempt, |a| {
        out!("attempt {} {}", a.address, a.family)
    });
    c.on(ConnectionAttemptFailed, |a| {
        out!(
            "failed {} {} {}",
            a.address,
            a.family,
            undef(a.error.map(|e| e.code().to_string()))
        )
    });
    c.on(Error, move |e| {
        out!("error {} {:?}", e.code(), e.message());
        let all: Vec<String> = e
            .errors()
            .iter()
            .map(|x| portless(x.message(), port))
            .collect();
        out!("errors {}", all.join(" | "));
    });
    c.on(Close, |h| out!("close {h}"));
}
