//! Every way a connect fails, many times over in one loop: each failure closes its socket
//! once, with its error, and leaves nothing behind: the loop returns by itself and the
//! process holds as many descriptors as before (the reliability notes' "every error path
//! many times over", for the connect's paths). Alone in its test binary: it counts the
//! process's descriptors.

use std::cell::RefCell;
use std::rc::Rc;

use nodenet::net::{self, ConnectOptions, Resolver, events::*};

/// Descriptors the process holds.
fn descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

/// Per kind of failure: its name, closes with an error, closes without, errors.
type Seen = Rc<RefCell<Vec<(&'static str, usize, usize, usize)>>>;

/// How many times each kind of failure runs.
const ROUNDS: usize = 200;

/// A connect that fails, by kind; `port` is a listening server's.
fn failing(kind: usize, port: u16) -> Option<(&'static str, ConnectOptions)> {
    let to = |p: u16| ConnectOptions {
        port: p,
        host: "127.0.0.1".into(),
        ..Default::default()
    };
    Some(match kind {
        // Nothing listens on the discard port: ECONNREFUSED on the loop.
        0 => ("refused", to(9)),
        // The listener holds the local port: bind EADDRINUSE.
        1 => (
            "local port in use",
            ConnectOptions {
                local_port: Some(port),
                ..to(port)
            },
        ),
        // An address this machine does not have: bind EADDRNOTAVAIL.
        2 => (
            "foreign local address",
            ConnectOptions {
                local_address: Some("192.0.2.1".into()),
                ..to(port)
            },
        ),
        // The resolver fails.
        3 => (
            "lookup fails",
            ConnectOptions {
                host: "example.test".into(),
                lookup: Some(Resolver::new(|_, _| {
                    Err(nodenet::Error::lookup("ENOTFOUND", -3008, "example.test"))
                })),
                ..to(port)
            },
        ),
        // Happy eyeballs over two loopbacks, both refused: an aggregate error.
        4 => (
            "every address refused",
            ConnectOptions {
                host: "example.test".into(),
                lookup: Some(Resolver::new(|_, _| {
                    Ok(vec![
                        std::net::Ipv6Addr::LOCALHOST.into(),
                        std::net::Ipv4Addr::LOCALHOST.into(),
                    ])
                })),
                ..to(9)
            },
        ),
        // A lookup through a callback that never answers; destroyed below.
        5 => (
            "lookup never answers",
            ConnectOptions {
                host: "example.test".into(),
                lookup: Some(Resolver::with_callback(|_, _, callback| drop(callback))),
                ..to(port)
            },
        ),
        // Destroyed while it connects to the server.
        6 => ("destroyed while connecting", to(port)),
        _ => return None,
    })
}

#[test]
fn every_failed_connect_closes_once_and_leaves_no_descriptor_behind() {
    let before = descriptors();
    let seen: Seen = Rc::default();
    let s = seen.clone();
    let r = nodenet::run(move || {
        let server = net::create_server();
        server.on(Connection, |c| {
            c.on(Error, |_| {});
        });
        server.on(Listening, move |_| {
            let port = server.address().map(|a| a.port()).unwrap_or(0);
            next(server, port, 0, 0, s.clone());
        });
        server.listen((0, "127.0.0.1"));
    });
    assert!(r.is_ok(), "the loop ended with {r:?}");
    let seen = seen.borrow();
    assert_eq!(seen.len(), 7, "every kind ran: {seen:?}");
    for &(kind, with_error, without, errors) in seen.iter() {
        let destroyed = kind.starts_with("destroyed") || kind == "lookup never answers";
        let (want_error, want_without) = if destroyed { (0, ROUNDS) } else { (ROUNDS, 0) };
        assert_eq!(
            (with_error, without, errors),
            (want_error, want_without, want_error),
            "{kind}: closes with an error, closes without, errors"
        );
    }
    assert_eq!(descriptors(), before, "descriptors left open");
}

/// Start round `round` of kind `kind`; each close starts the next, and after the last
/// kind the server closes.
fn next(server: net::Server, port: u16, kind: usize, round: usize, seen: Seen) {
    let (kind, round) = if round == ROUNDS {
        (kind + 1, 0)
    } else {
        (kind, round)
    };
    let Some((name, opts)) = failing(kind, port) else {
        server.close();
        return;
    };
    if round == 0 {
        seen.borrow_mut().push((name, 0, 0, 0));
    }
    let c = net::connect(opts);
    let s = seen.clone();
    c.on(Error, move |_| s.borrow_mut()[kind].3 += 1);
    let s = seen.clone();
    c.on(Close, move |had_error| {
        {
            let mut v = s.borrow_mut();
            if had_error {
                v[kind].1 += 1;
            } else {
                v[kind].2 += 1;
            }
        }
        next(server, port, kind, round + 1, s.clone());
    });
    if name == "lookup never answers" {
        c.destroy();
    } else if name.starts_with("destroyed") {
        // Once its socket is made and its connect is in flight.
        c.once(ConnectionAttempt, move |_| {
            c.destroy();
        });
    }
}
