//! The properties of a socket that was never connected (Node's quirk: readyState 'open'),
//! and of a server that never listened.
use nodenet::net::{self, Socket, SocketOptions};

use super::s3_util::{null, undef};

pub fn scenario() {
    let s = Socket::new(SocketOptions::default());
    out!(
        "readyState {} pending {} connecting {} destroyed {}",
        s.ready_state(),
        s.pending(),
        s.connecting(),
        s.destroyed()
    );
    out!(
        "readable {} writable {} allowHalfOpen {}",
        s.readable(),
        s.writable(),
        s.allow_half_open()
    );
    out!(
        "bytesRead {} bytesWritten {} timeout {}",
        s.bytes_read(),
        s.bytes_written(),
        undef(s.timeout())
    );
    out!(
        "remote {} {} {} local {} {} {} address() {}",
        undef(s.remote_address()),
        undef(s.remote_port()),
        undef(s.remote_family()),
        undef(s.local_address()),
        undef(s.local_port()),
        undef(s.local_family()),
        s.address().map_or("{}".to_string(), |a| a.to_string())
    );
    out!(
        "writableLength {} readableLength {} readableFlowing {} isPaused {}",
        s.writable_length(),
        s.readable_length(),
        null(s.readable_flowing()),
        s.is_paused()
    );
    out!(
        "writableEnded {} writableFinished {} writableNeedDrain {} writableCorked {} readableEncoding {}",
        s.writable_ended(),
        s.writable_finished(),
        s.writable_need_drain(),
        s.writable_corked(),
        null(s.readable_encoding().map(|e| e.name()))
    );
    out!(
        "server {}",
        if s.server().is_some() { "set" } else { "null" }
    );
    let h = Socket::new(SocketOptions {
        allow_half_open: true,
        ..Default::default()
    });
    out!("allowHalfOpen option {}", h.allow_half_open());
    let srv = net::create_server();
    out!(
        "server listening {} address() {} maxConnections {}",
        srv.listening(),
        null(srv.address()),
        undef(srv.max_connections())
    );
    s.destroy();
    h.destroy();
}
