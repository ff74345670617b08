//! Listening on a Unix path in a directory that does not exist
//! (test-net-better-error-messages-listen-path): no `listening`, an `error` that names the
//! path (code, syscall, errno, address, message), not followed by `close`.
use nodenet::net::{self, ListenOptions, events::*};

use crate::harness::undef;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |_| out!("connection"));
    server.on(Listening, |_| out!("listening"));
    server.on(Close, |_| out!("close"));
    server.on(Error, move |e| {
        out!(
            "error {} {} {} {} {} {}",
            e.code(),
            undef(e.syscall()),
            undef(e.errno()),
            undef(e.address()),
            e.message(),
            server.listening()
        )
    });
    server.listen(ListenOptions::path("/nodenet-no-such-dir/x.sock"));
    nodenet::set_timeout(50, || out!("later"));
}
