//! ipv6Only: a server on :: with ipv6Only takes ::1 but not 127.0.0.1 (ECONNREFUSED).
//! reusePort: a second server with reusePort listens on the first one's port (both had
//! it); a third without it gets EADDRINUSE.
use nodenet::net::{self, ListenOptions, events::*};

fn on(host: &str, port: u16) -> ListenOptions {
    ListenOptions {
        host: Some(host.into()),
        port,
        ..Default::default()
    }
}

pub fn scenario() {
    let v6 = net::create_server();
    v6.on(Connection, |s| {
        s.end();
    });
    v6.once(Listening, move |_| {
        let port = v6.address().map(|a| a.port()).unwrap_or(0);
        let addr = v6.address().and_then(|a| match a {
            net::ServerAddress::Inet(i) => Some(format!("{} {}", i.address, i.family)),
            _ => None,
        });
        out!("v6 listening {}", addr.unwrap_or_default());
        let a = net::connect((port, "::1"));
        a.on(Connect, |_| out!("::1 connect"));
        a.resume();
        a.on(Close, move |h| {
            out!("::1 close {h}");
            let b = net::connect((port, "127.0.0.1"));
            b.on(Connect, |_| out!("127.0.0.1 connect"));
            b.on(Error, |e| out!("127.0.0.1 error {}", e.code()));
            b.on(Close, move |h| {
                out!("127.0.0.1 close {h}");
                v6.close();
                reuse();
            });
        });
    });
    v6.listen(ListenOptions {
        ipv6_only: true,
        ..on("::", 0)
    });
}

fn reuse() {
    let one = net::create_server();
    one.once(Listening, move |_| {
        let port = one.address().map(|a| a.port()).unwrap_or(0);
        out!("one listening");
        let two = net::create_server();
        two.on(Error, |e| out!("two error {}", e.code()));
        two.once(Listening, move |_| {
            out!(
                "two listening {}",
                two.address().map(|a| a.port()) == Some(port)
            );
            let three = net::create_server();
            three.on(Listening, |_| out!("three listening"));
            three.on(Error, move |e| {
                out!("three error {}", e.code());
                one.close();
                two.close();
            });
            three.listen(on("127.0.0.1", port));
        });
        two.listen(on("127.0.0.1", port).reuse_port(true));
    });
    one.listen(on("127.0.0.1", 0).reuse_port(true));
}
