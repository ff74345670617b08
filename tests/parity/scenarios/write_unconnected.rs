//! write() on a socket never connected and not connecting: Node finds no handle and fails
//! it at once (false, nothing left queued), the callback gets ERR_SOCKET_CLOSED on next
//! tick, then the socket is destroyed with it. end(cb) after it does not end the stream
//! and its callback gets the same error; a destroy() in the same tick emits no error; a
//! second write waits behind the error and fails with it.
use nodenet::Error as NetError;
use nodenet::net::{Socket, SocketOptions, events::*};

fn code(e: Option<NetError>) -> String {
    e.map(|e| e.code().to_string())
        .unwrap_or_else(|| "null".into())
}

pub fn scenario() {
    for mode in ["plain", "end", "endDestroy", "twice"] {
        let s = Socket::new(SocketOptions::default());
        s.on(Error, move |e| note!(mode, "error {}", e.code()));
        s.on(Finish, move |_| note!(mode, "finish"));
        s.on(Close, move |_| note!(mode, "close {}", s.destroyed()));
        let w = s.write_cb("x", move |e| note!(mode, "write cb {}", code(e)));
        note!(mode, "write {w} {}", s.writable_length());
        if mode == "twice" {
            let w = s.write_cb("y", move |e| note!(mode, "write2 cb {}", code(e)));
            note!(mode, "write2 {w} {}", s.writable_length());
        }
        if mode == "end" || mode == "endDestroy" {
            s.end_then(move |e| note!(mode, "end cb {}", code(e)));
        }
        if mode == "endDestroy" {
            s.destroy();
        }
        note!(
            mode,
            "after {} {} {}",
            s.destroyed(),
            s.writable_length(),
            s.writable_ended()
        );
    }
}
