//! MaxListenersExceededWarning (Node's test-event-emitter-max-listeners-warning,
//! -check-listener-leaks and -get-max-listeners, on sockets and servers): one warning per
//! event once it has more listeners than the limit (10 unless set), given on the next
//! tick; again only after the event's listeners went down to one; a limit of 0 means none;
//! a socket's own `end` listener counts.
use nodenet::net::{self, Socket, SocketOptions, events::*};

use crate::harness::undef;

pub fn scenario() {
    nodenet::process::on_warning(|w| {
        out!(
            "warning {} {} {} {}",
            w.name,
            w.message.replace('\n', "\\n"),
            undef(w.event),
            undef(w.count)
        )
    });

    let a = Socket::new(SocketOptions::default());
    out!(
        "fresh socket: end listeners {} max {}",
        a.listener_count(End),
        a.get_max_listeners()
    );
    for _ in 0..10 {
        a.on(Timeout, |_| {});
    }
    out!("10 timeout listeners");
    a.on(Timeout, |_| {});
    out!("11th added");
    a.once(Timeout, |_| {});
    out!("12th added, once");
    for _ in 0..10 {
        a.on(End, |_| {});
    }
    out!("10 end listeners of ours {}", a.listener_count(End));
    nodenet::next_tick(|| out!("a tick queued before the next add"));
    a.prepend_listener(Drain, |_| {});
    for _ in 0..10 {
        a.prepend_once_listener(Drain, |_| {});
    }
    out!("11 drain listeners, prepended");

    let b = Socket::new(SocketOptions::default());
    b.set_max_listeners(2);
    out!("b max {}", b.get_max_listeners());
    let _f1 = b.on(Close, |_| {});
    let f2 = b.on(Close, |_| {});
    let f3 = b.on(Close, |_| {});
    b.off(Close, f3);
    out!("b: 3 close listeners, one removed");
    let f3 = b.on(Close, |_| {});
    out!("b: a third again (still warned)");
    b.off(Close, f3);
    b.off(Close, f2);
    out!("b: down to one");
    b.on(Close, |_| {});
    b.on(Close, |_| {});
    out!("b: three again");
    b.remove_all_listeners(Close);
    for _ in 0..3 {
        b.on(Close, |_| {});
    }
    out!("b: three after removeAllListeners");
    b.set_max_listeners(1);
    b.on(Connect, |_| {});
    out!("b: limit 1, one connect listener");
    b.on(Connect, |_| {});
    out!("b: two");
    b.set_max_listeners(1);
    b.on(End, |_| {});
    out!(
        "b: limit 1, one end listener of ours {}",
        b.listener_count(End)
    );

    let c = Socket::new(SocketOptions::default());
    c.set_max_listeners(0);
    for _ in 0..30 {
        c.on(Data, |_| {});
    }
    out!(
        "c: limit 0, 30 data listeners {} max {}",
        c.listener_count(Data),
        c.get_max_listeners()
    );
    c.remove_all_listeners(Data);

    let server = net::create_server();
    for _ in 0..11 {
        server.on(Connection, |_| {});
    }
    out!(
        "server: 11 connection listeners, max {}",
        server.get_max_listeners()
    );
    for _ in 0..11 {
        server.on(Error, |_| {});
    }
    out!("sync part done");
    nodenet::set_immediate(|| out!("immediate"));
}
