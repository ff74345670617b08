//! A connect refused on the loop names the local side it asked to bind when a local port
//! was given (Node's createConnectionError): the message ends ` - Local (<address>:<port>)`,
//! with the family's any-address when no local address was given, and the error (and the
//! connectionAttemptFailed's) has localAddress and localPort. A local address alone names
//! nothing. The local ports are held by listeners of the other family (::1 with ipv6Only,
//! 127.0.0.1), which a bind of this family does not meet.
use nodenet::net::{self, ConnectOptions, ListenOptions, events::*};

use crate::harness::{REFUSED_PORT, undef};

pub fn scenario() {
    let six = net::create_server();
    let four = net::create_server();
    six.once(Listening, move |_| {
        four.once(Listening, move |_| {
            let p6 = six.address().map(|a| a.port()).unwrap_or(0);
            let p4 = four.address().map(|a| a.port()).unwrap_or(0);
            next(0, p6, p4, six, four);
        });
        four.listen((0, "127.0.0.1"));
    });
    six.listen(ListenOptions {
        ipv6_only: true,
        ..(0, "::1").into()
    });
}

fn next(i: usize, p6: u16, p4: u16, six: net::Server, four: net::Server) {
    let name = move |m: &str| {
        m.replace(&format!(":{p6})"), ":P6)")
            .replace(&format!(":{p4})"), ":P4)")
    };
    let port = move |p: Option<u16>| match p {
        Some(p) if p == p6 => "P6".to_string(),
        Some(p) if p == p4 => "P4".to_string(),
        p => undef(p),
    };
    let cases: [(&str, &str, Option<&str>, Option<u16>); 5] = [
        ("port only", "127.0.0.1", None, Some(p6)),
        ("address only", "127.0.0.1", Some("127.0.0.1"), None),
        ("both", "127.0.0.1", Some("127.0.0.1"), Some(p6)),
        ("both, IPv6", "::1", Some("::1"), Some(p4)),
        ("port only, by name", "localhost", None, Some(p6)),
    ];
    let Some(&(tag, host, local_address, local_port)) = cases.get(i) else {
        six.close();
        four.close();
        return;
    };
    let c = net::connect(ConnectOptions {
        local_address: local_address.map(String::from),
        local_port,
        auto_select_family: host != "localhost",
        ..(REFUSED_PORT, host).into()
    });
    c.on(ConnectionAttemptFailed, move |a| {
        let e = a.error.expect("an attempt failed with an error");
        out!(
            "{tag} attempt failed {} {} {} {} {}",
            a.address,
            a.family,
            name(e.message()),
            undef(e.local_address()),
            port(e.local_port())
        );
    });
    c.on(Error, move |e| {
        out!(
            "{tag} error {} {} {} {}",
            e.code(),
            name(e.message()),
            undef(e.local_address()),
            port(e.local_port())
        );
    });
    c.on(Close, move |_| next(i + 1, p6, p4, six, four));
}
