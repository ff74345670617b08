//! Happy eyeballs with a local port and a block list: Node binds each attempt's socket
//! first, then checks the block list. So a blocked address whose bind fails (its port held
//! there) fails with the bind's error and no event, and a blocked address whose bind works
//! gets a connectionAttemptFailed with ERR_IP_BLOCKED. The local port is held on ::1
//! (ipv6Only); the connects go to the refused port.
//! 1. ::1 blocked: its bind fails first (bind EADDRINUSE); 127.0.0.1 is refused.
//! 2. 127.0.0.1 blocked: ::1's bind fails, then 127.0.0.1 is bound and blocked.
use std::rc::Rc;

use nodenet::net::{self, BlockList, ConnectOptions, Family, ListenOptions, Resolver, events::*};

use crate::harness::{REFUSED_PORT, undef};

fn run(tag: &'static str, blocked: &str, lp: u16, next: impl FnOnce() + 'static) {
    let mut bl = BlockList::new();
    let family = if blocked.contains(':') {
        Family::Ipv6
    } else {
        Family::Ipv4
    };
    bl.add_address(blocked, family).expect("a valid address");
    let lookup = Resolver::with_callback(|_host, _family, callback| {
        nodenet::set_immediate(move || {
            callback.answer(Ok(vec![
                std::net::Ipv6Addr::LOCALHOST.into(),
                std::net::Ipv4Addr::LOCALHOST.into(),
            ]))
        });
    });
    let c = net::connect(ConnectOptions {
        lookup: Some(lookup),
        local_port: Some(lp),
        block_list: Some(Rc::new(bl)),
        ..(REFUSED_PORT, "example.test").into()
    });
    c.on(ConnectionAttempt, move |a| {
        out!("{tag} attempt {}", a.address)
    });
    c.on(ConnectionAttemptFailed, move |a| {
        out!(
            "{tag} failed {} {}",
            a.address,
            a.error.map(|e| e.code().to_string()).unwrap_or_default()
        )
    });
    c.on(Error, move |e| {
        out!("{tag} error {}", e.code());
        for x in e.errors() {
            out!(
                "{tag}    {} {} {} {}",
                x.code(),
                undef(x.syscall()),
                undef(x.address()),
                x.message().replace(&format!(":{lp}"), ":L")
            );
        }
    });
    let mut next = Some(next);
    c.on(Close, move |_| {
        if let Some(f) = next.take() {
            f();
        }
    });
}

pub fn scenario() {
    let held = net::create_server();
    held.once(Listening, move |_| {
        let lp = held.address().map(|a| a.port()).unwrap_or(0);
        run("1", "::1", lp, move || {
            run("2", "127.0.0.1", lp, move || {
                held.close();
            })
        });
    });
    held.listen(ListenOptions {
        ipv6_only: true,
        ..(0, "::1").into()
    });
}
