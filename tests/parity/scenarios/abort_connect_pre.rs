//! A socket made with a signal that has already aborted: 'error' AbortError on the next tick
//! (after the ticks queued before the socket was made, before those queued after), then
//! 'close'. Made by new net.Socket({ signal }) and left alone, then by net.connect({ signal }).
//!
//! Node 24 and nodenet part ways here, so the trace leaves out what differs: Node does not
//! destroy the socket (the stream layer emits 'error' and a 'close' with no argument, which
//! is why 'close' prints none here), and its connect goes on: here to a port nobody listens
//! on, where it fails quietly (no second 'error') with a second 'close', true, that the
//! `once` below does not print. nodenet destroys the socket: 'close' true, and the connect
//! never starts (tests/abort_signal.rs checks that).
use nodenet::net::{self, ConnectOptions, Socket, SocketOptions, events::*};
use nodenet::{AbortController, Error as NodeError};

use crate::harness::REFUSED_PORT;

fn one(how: &'static str, next: impl FnOnce() + 'static) {
    let ac = AbortController::new();
    ac.abort_with(NodeError::other("early"));
    nodenet::next_tick(move || out!("{how} tick0"));
    let c = if how == "made" {
        Socket::new(SocketOptions {
            signal: Some(ac.signal()),
            ..Default::default()
        })
    } else {
        net::connect(ConnectOptions::from((REFUSED_PORT, "127.0.0.1")).signal(ac.signal()))
    };
    out!("{how} returned");
    c.on(Error, move |e| {
        let cause = e
            .cause()
            .map(|c| c.message().to_string())
            .unwrap_or_default();
        out!(
            "{how} error {} {} {} / {cause}",
            e.code(),
            e.name(),
            e.message()
        );
    });
    c.once(Close, move |_| {
        out!("{how} close");
        nodenet::set_timeout(20, next);
    });
    nodenet::next_tick(move || {
        out!("{how} tick1");
        nodenet::next_tick(move || out!("{how} tick2"));
    });
    nodenet::set_immediate(move || out!("{how} immediate"));
}

pub fn scenario() {
    one("made", || one("connect", || {}));
}
