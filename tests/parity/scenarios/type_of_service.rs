//! Node 24's setTypeOfService()/getTypeOfService() and the typeOfService option: a fresh
//! socket answers the cached value (0 or the option's); a TCP connect without its socket
//! yet (an IP literal connects on the next tick) fails with EBADF from both, yet keeps the
//! value set, which is applied once connected; a connected socket reads the kernel (Linux
//! keeps the two ECN bits of a TCP socket: 3 reads 0, 0xff reads 0xfc), over IPv4 and IPv6
//! (traffic class); an accepted socket starts at 0; after close the cached value answers
//! again; a Unix socket only caches.
use nodenet::net::{self, ConnectOptions, Socket, SocketOptions, events::*};

fn line<T: std::fmt::Display>(label: &str, r: nodenet::Result<T>) -> String {
    match r {
        Ok(v) => format!("{label} {v}"),
        Err(e) => format!(
            "{label} throws {} {} {}",
            e.code(),
            e.syscall().unwrap_or("undefined"),
            e.message()
        ),
    }
}

fn show<T: std::fmt::Display>(label: &str, r: nodenet::Result<T>) {
    out!("{}", line(label, r));
}

fn set(label: &str, s: Socket, tos: u8) {
    show(label, s.set_type_of_service(tos).map(|r| r == s));
}

/// The accepting side's lines go to its own trace (their order against the client's
/// hinges on the OS).
fn noted<T: std::fmt::Display>(actor: &str, label: &str, r: nodenet::Result<T>) {
    note!(actor, "{}", line(label, r));
}

pub fn scenario() {
    let fresh = Socket::new(SocketOptions::default());
    show("fresh get", fresh.type_of_service());
    set("fresh set 16", fresh, 16);
    show("fresh get after set", fresh.type_of_service());
    let opt = Socket::new(SocketOptions {
        type_of_service: Some(0x40),
        ..Default::default()
    });
    show("option get", opt.type_of_service());
    fresh.destroy();
    opt.destroy();
    tcp("127.0.0.1", || tcp("::1", unix));
}

fn tcp(host: &'static str, next: fn()) {
    let srv = net::create_server();
    srv.on(Connection, move |c| {
        let a = format!("{host} accepted");
        noted(host, &format!("{a} get"), c.type_of_service());
        noted(
            host,
            &format!("{a} set 0x28"),
            c.set_type_of_service(0x28).map(|r| r == c),
        );
        noted(host, &format!("{a} get after set"), c.type_of_service());
        c.end();
    });
    srv.on(Listening, move |_| {
        let port = srv.address().map(|a| a.port()).unwrap_or(0);
        let s = net::connect(ConnectOptions {
            type_of_service: Some(0x20),
            ..(port, host).into()
        });
        show(&format!("{host} connecting get"), s.type_of_service());
        set(&format!("{host} connecting set 0xb8"), s, 0xb8);
        s.on(Connect, move |_| {
            show(&format!("{host} connected get"), s.type_of_service());
            set(&format!("{host} set 3"), s, 3);
            show(&format!("{host} get after 3"), s.type_of_service());
            set(&format!("{host} set 0xff"), s, 0xff);
            show(&format!("{host} get after 0xff"), s.type_of_service());
        });
        s.on(Close, move |_| {
            show(&format!("{host} closed get"), s.type_of_service());
            set(&format!("{host} closed set 4"), s, 4);
            show(&format!("{host} closed get after set"), s.type_of_service());
            srv.on(Close, move |_| next());
            srv.close();
        });
        s.resume();
    });
    srv.listen((0, host));
}

fn unix() {
    let p = std::env::temp_dir().join(format!("nodenet-tos-rs-{}.sock", std::process::id()));
    let _ = std::fs::remove_file(&p);
    let p = p.to_string_lossy().into_owned();
    let srv = net::create_server();
    srv.on(Connection, |c| {
        noted(
            "unix",
            "unix accepted set 8",
            c.set_type_of_service(8).map(|r| r == c),
        );
        noted("unix", "unix accepted get", c.type_of_service());
        c.end();
    });
    let path = p.clone();
    srv.on(Listening, move |_| {
        let s = net::connect(ConnectOptions {
            type_of_service: Some(0x10),
            ..ConnectOptions::path(path.clone())
        });
        s.on(Connect, move |_| {
            show("unix connected get", s.type_of_service())
        });
        s.on(Close, move |_| {
            srv.on(Close, |_| unix_missing());
            srv.close();
        });
        s.resume();
    });
    srv.listen(net::ListenOptions::path(p));
}

/// A Unix connect that fails (no such path) only caches, before and after its error.
fn unix_missing() {
    let p = std::env::temp_dir().join(format!(
        "nodenet-tos-rs-missing-{}.sock",
        std::process::id()
    ));
    let s = net::connect(ConnectOptions {
        type_of_service: Some(0x10),
        ..ConnectOptions::path(p.to_string_lossy().into_owned())
    });
    show("missing unix get", s.type_of_service());
    set("missing unix set 8", s, 8);
    show("missing unix get after set", s.type_of_service());
    s.on(Error, move |e| {
        out!("missing unix error {}", e.code());
        show("missing unix get after error", s.type_of_service());
    });
}
