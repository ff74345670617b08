//! The process's default listener limit (Node's `EventEmitter.defaultMaxListeners`, from
//! test-event-emitter-check-listener-leaks): it holds for every emitter that has not set
//! its own, read when a listener is added, so a change reaches emitters made before it.
use nodenet::net::{self, Socket, SocketOptions, events, events::*};

pub fn scenario() {
    nodenet::process::on_warning(|w| out!("warning {}", w.message));
    events::set_default_max_listeners(3);
    let a = Socket::new(SocketOptions::default());
    let b = Socket::new(SocketOptions::default());
    b.set_max_listeners(5);
    out!(
        "default 3: a max {} b max {}",
        a.get_max_listeners(),
        b.get_max_listeners()
    );
    for _ in 0..4 {
        a.on(Data, |_| {});
        b.on(Close, |_| {});
    }
    out!("4 listeners each");
    events::set_default_max_listeners(44);
    out!("default 44: a max {}", a.get_max_listeners());
    for _ in 0..4 {
        a.on(Drain, |_| {});
    }
    let server = net::create_server();
    for _ in 0..11 {
        server.on(Connection, |_| {});
    }
    out!("a: 4 drain listeners, server: 11 connection listeners");
    events::set_default_max_listeners(10);
    out!("default back to {}", events::default_max_listeners());
    a.destroy();
    b.destroy();
}
