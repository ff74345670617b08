//! listen({ signal }) with a signal that has already aborted: the server binds (without a
//! host, listening is true at once), but is closed on the next tick, before 'listening';
//! the same with an IP host and a host name, whose bind never happens.
use nodenet::AbortController;
use nodenet::net::{self, ListenOptions, events::*};

use crate::harness::code;

const HOSTS: [Option<&str>; 3] = [None, Some("127.0.0.1"), Some("localhost")];

fn one(i: usize) {
    let Some(host) = HOSTS.get(i).copied() else {
        return;
    };
    let ac = AbortController::new();
    ac.abort();
    let s = net::create_server();
    s.on(Listening, move |_| out!("{i} listening"));
    s.on(Error, move |e| out!("{i} error {}", code(&e)));
    s.on(Close, move |_| out!("{i} close {}", s.listening()));
    nodenet::next_tick(move || out!("{i} tick0"));
    let mut opts = ListenOptions::from(0).signal(ac.signal());
    opts.host = host.map(str::to_string);
    s.once(Listening, move |_| out!("{i} listen callback"));
    s.listen(opts);
    out!("{i} listen returned {}", s.listening());
    nodenet::next_tick(move || {
        out!("{i} tick1");
        nodenet::next_tick(move || out!("{i} tick2"));
    });
    nodenet::set_immediate(move || out!("{i} immediate"));
    nodenet::set_timeout(20, move || {
        out!("{i} later {}", s.listening());
        one(i + 1);
    });
}

pub fn scenario() {
    one(0);
}
