//! Connects refused by the network rather than by the host's TCP (run in a network
//! namespace of its own, where nft answers SYNs to four ports): ICMP host-unreachable,
//! net-unreachable and admin-prohibited, and a TCP reset. Each fails on the loop, as a
//! failed attempt with the code the kernel gives (EHOSTUNREACH, ENETUNREACH, EHOSTUNREACH,
//! ECONNREFUSED), then the error and close(true).
use nodenet::net::{self, events::*};

use crate::harness::undef;

const PORTS: [u16; 4] = [6001, 6002, 6003, 6004];

fn next(i: usize) {
    let Some(&p) = PORTS.get(i) else { return };
    let c = net::connect((p, "127.0.0.1"));
    c.on(ConnectionAttemptFailed, move |a| {
        out!(
            "{p} failed {} {} {} {}",
            a.address,
            a.port == p,
            a.family,
            undef(a.error.map(|e| e.code().to_string()))
        )
    });
    c.on(Error, move |e| {
        out!(
            "{p} error {} {} {} {} {} {}",
            e.code(),
            undef(e.errno()),
            undef(e.syscall()),
            undef(e.address()),
            e.port() == Some(p),
            e.message()
        )
    });
    c.on(Close, move |h| {
        out!("{p} close {h}");
        next(i + 1);
    });
}

pub fn scenario() {
    next(0);
}
