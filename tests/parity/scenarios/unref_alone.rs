//! An unref'd server alone: listening is still emitted, then the run ends.
use nodenet::net::{self, events::*};

pub fn scenario() {
    let server = net::create_server();
    server.on(Listening, move |_| out!("listening {}", server.listening()));
    server.listen(0);
    server.unref();
    out!("listen() returned {}", server.listening());
    nodenet::next_tick(|| out!("next tick"));
    nodenet::set_immediate(|| out!("immediate"));
}
