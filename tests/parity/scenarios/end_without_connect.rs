//! end(cb) on a socket never connected finishes at once; destroy() on it closes on next tick.
use nodenet::net::{Socket, SocketOptions, events::*};

pub fn scenario() {
    let s = Socket::new(SocketOptions::default());
    s.on(Finish, |_| out!("finish"));
    s.on(Close, |_| out!("close"));
    s.end_cb(move || {
        out!("end cb {} {}", s.writable(), s.writable_finished());
        s.destroy();
        out!("after destroy {}", s.destroyed());
    });
    out!("after end() {} {}", s.writable(), s.writable_ended());
}
