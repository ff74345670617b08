//! Over IPv6 loopback: the server on ::1 and its client see IPv6 families and ::1
//! addresses on both ends; the client's local port is the server side's remote port.
use nodenet::net::{self, events::*};

use super::s3_util::undef;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, move |s| {
        let port = server.address().map(|a| a.port());
        note!(
            "srvSock",
            "remote {} {} local {} {} {}",
            undef(s.remote_address()),
            undef(s.remote_family()),
            undef(s.local_address()),
            undef(s.local_family()),
            s.local_port() == port
        );
        s.end();
    });
    server.on(Listening, move |_| {
        let Some(net::ServerAddress::Inet(a)) = server.address() else {
            return;
        };
        out!("server {} {}", a.address, a.family);
        let c = net::connect((a.port, "::1"));
        c.on(Connect, move |_| {
            let l = c.address().expect("connected");
            note!(
                "client",
                "remote {} {} {} local {} {} address() {} {} {}",
                undef(c.remote_address()),
                undef(c.remote_family()),
                c.remote_port() == Some(a.port),
                undef(c.local_address()),
                undef(c.local_family()),
                l.address,
                l.family,
                Some(l.port) == c.local_port()
            );
        });
        c.resume();
        c.on(Close, move |_| {
            server.close();
        });
    });
    server.listen((0, "::1"));
}
