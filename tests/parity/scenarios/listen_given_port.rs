//! Run in a network namespace of its own (fixed ports). A server listens on the port it is
//! given, with a host, a backlog, both or neither: address() names the host asked for (::
//! with none), its family and the given port; listen(0) gets a port the system chose. A
//! client given a local port only connects from it: the server sees it as the remote port
//! (test-net-server-address, test-net-server-bind, test-net-localport).
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, ConnectOptions, ListenOptions, Server, ServerAddress, events::*};

use crate::harness::undef;

const LOCAL_PORT: u16 = 45100;

fn opts(port: u16, host: Option<&str>, backlog: Option<i32>) -> ListenOptions {
    ListenOptions {
        port,
        host: host.map(String::from),
        backlog,
        ..Default::default()
    }
}

pub fn scenario() {
    let cases = [
        ("127.0.0.1", opts(5100, Some("127.0.0.1"), None)),
        ("::1", opts(5101, Some("::1"), None)),
        ("port only", opts(5102, None, None)),
        ("0.0.0.0, backlog", opts(5103, Some("0.0.0.0"), Some(127))),
        ("backlog", opts(5104, None, Some(127))),
        ("port 0", opts(0, None, None)),
    ];
    let total = cases.len();
    let servers: Rc<Vec<Server>> = Rc::new(cases.iter().map(|_| net::create_server()).collect());
    let listening = Rc::new(Cell::new(0));
    for (k, (tag, o)) in cases.into_iter().enumerate() {
        let s = servers[k];
        let port = o.port;
        s.on(Error, move |e| out!("{tag} error {}", e.code()));
        let (listening, all) = (listening.clone(), servers.clone());
        s.on(Listening, move |_| {
            if let Some(ServerAddress::Inet(a)) = s.address() {
                let ok = if port == 0 {
                    a.port >= 1024
                } else {
                    a.port == port
                };
                out!("{tag} listening {} {} {ok}", a.address, a.family);
            }
            listening.set(listening.get() + 1);
            if listening.get() == total {
                connect(all.clone());
            }
        });
        s.listen(o);
        let addr = match s.address() {
            Some(ServerAddress::Inet(a)) => a.address.to_string(),
            _ => "null".into(),
        };
        out!("{tag} address after listen() {addr}");
    }
}

fn connect(servers: Rc<Vec<Server>>) {
    let server = servers[2];
    server.on(Connection, move |s| {
        note!(
            "srvSock",
            "remote {} {}",
            undef(s.remote_address()),
            s.remote_port() == Some(LOCAL_PORT)
        );
        s.end();
        let servers = servers.clone();
        s.on(Close, move |_| {
            for x in servers.iter() {
                x.close();
            }
        });
    });
    let c = net::connect(ConnectOptions {
        port: 5102,
        host: "127.0.0.1".into(),
        local_port: Some(LOCAL_PORT),
        ..Default::default()
    });
    c.on(Connect, move |_| {
        note!(
            "client",
            "connect {} {}",
            undef(c.local_address()),
            c.local_port() == Some(LOCAL_PORT)
        )
    });
    c.on(End, |_| note!("client", "end"));
    c.on(Close, |h| note!("client", "close {h}"));
}
