//! blockList: a server closes a blocked client's connection at once (no connection, no
//! drop event: the client sees connect then end); a client refuses a blocked address after
//! connectionAttempt with ERR_IP_BLOCKED and close(true).
use std::rc::Rc;

use nodenet::net::{self, BlockList, ConnectOptions, Family, ServerOptions, events::*};

use crate::harness::undef;

pub fn scenario() {
    let mut bl = BlockList::new();
    bl.add_address("127.0.0.1", Family::Ipv4)
        .expect("an address");
    let bl = Rc::new(bl);
    let server = net::create_server_with(ServerOptions {
        block_list: Some(bl.clone()),
        ..Default::default()
    });
    server.on(Connection, |_| out!("connection"));
    server.on(Drop, |_| out!("drop"));
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.on(Connect, |_| out!("client connect"));
        c.on(End, |_| out!("client end"));
        c.on(Error, |e| out!("client error {}", e.code()));
        let bl = bl.clone();
        c.on(Close, move |h| {
            out!("client close {h}");
            let c2 = net::connect(ConnectOptions {
                port,
                host: "127.0.0.1".into(),
                block_list: Some(bl.clone()),
                ..Default::default()
            });
            c2.on(ConnectionAttempt, |a| out!("c2 attempt {}", a.address));
            c2.on(Connect, |_| out!("c2 connect"));
            c2.on(Error, |e| {
                out!(
                    "c2 error {} {} {} {}",
                    e.code(),
                    e.message(),
                    undef(e.syscall()),
                    undef(e.address())
                )
            });
            c2.on(Close, move |h2| {
                out!("c2 close {h2}");
                server.close();
            });
        });
    });
    server.listen((0, "127.0.0.1"));
}
