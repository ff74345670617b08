//! Keep-alive finds a peer that vanished while the connection was idle (run in a network
//! namespace of its own): set_keep_alive(true, 1000) and, once connected, nft drops every
//! packet to the server's port. With Node 24's probe settings (1 s idle, then 10 probes
//! 1 s apart) the kernel gives up after about 11 s: `read ETIMEDOUT`, then close(true).
use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use nodenet::net::{self, Socket, events::*};

use super::fault_peer_vanishes::{drop_everything_to_the_server, report_timed_out};

pub fn scenario() {
    let t0 = Instant::now();
    let accepted: Rc<Cell<Option<Socket>>> = Rc::default();
    let server = net::create_server();
    let a = accepted.clone();
    server.on(Connection, move |s| a.set(Some(s)));
    server.on(Listening, move |_| {
        let c = net::connect((5000, "127.0.0.1"));
        c.set_keep_alive(true, 1000);
        c.on(Connect, |_| {
            out!("connect");
            drop_everything_to_the_server();
        });
        report_timed_out(c, t0, (9, 14), accepted.clone(), server);
    });
    server.listen((5000, "127.0.0.1"));
}
