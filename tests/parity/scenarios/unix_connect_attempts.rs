//! A connect to a Unix path has an attempt too, announced inside connect() (seen by a
//! listener added before the call), with the path and no port or family:
//! - a path nothing listens on: connectionAttemptFailed (ENOENT) on the loop, then the
//!   error and close(true);
//! - a path too long for a socket address: the connect refuses it at once, with no failed
//!   attempt;
//! - a listening path: the attempt, then connect.
//!
//! Paths are shown as P.

use nodenet::net::{self, ConnectOptions, Socket, SocketOptions, events::*};

use crate::harness::undef;

/// A port or family of a Unix path's attempt as Node prints it (`undefined`).
fn none_if_zero(n: u16) -> String {
    undef((n != 0).then_some(n))
}

fn attempt(name: &'static str, p: String, then: impl FnOnce() + 'static) {
    let s = Socket::new(SocketOptions::default());
    let show = {
        let p = p.clone();
        move |x: &str| x.replace(&p, "P")
    };
    let sh = show.clone();
    s.on(ConnectionAttempt, move |a| {
        out!(
            "{name} attempt {} {} {}",
            sh(&a.address),
            none_if_zero(a.port),
            none_if_zero(u16::from(a.family))
        )
    });
    let sh = show.clone();
    s.on(ConnectionAttemptFailed, move |a| {
        let code = a.error.map(|e| e.code().to_string());
        out!(
            "{name} failed {} {} {} {}",
            sh(&a.address),
            none_if_zero(a.port),
            none_if_zero(u16::from(a.family)),
            undef(code)
        )
    });
    s.on(Connect, move |_| {
        out!("{name} connect");
        s.end();
    });
    s.on(Error, move |e| {
        out!(
            "{name} error {} {} {} {}",
            e.code(),
            undef(e.syscall()),
            undef(e.address().map(&show)),
            show(e.message())
        )
    });
    let mut then = Some(then);
    s.on(Close, move |h| {
        out!("{name} close {h}");
        if let Some(f) = then.take() {
            f();
        }
    });
    s.connect(ConnectOptions::path(p));
    out!("{name} connect() returned {}", s.connecting());
}

pub fn scenario() {
    let Some(dir) = crate::harness::fresh_dir("unix") else {
        return;
    };
    let at = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let (missing, long, live) = (at("missing.sock"), at(&"x".repeat(200)), at("live.sock"));
    let server = net::create_server();
    server.on(Connection, |c| {
        c.end();
    });
    let l = live.clone();
    server.on(Listening, move |_| {
        let (live, long, dir) = (l.clone(), long.clone(), dir.clone());
        attempt("missing", missing.clone(), move || {
            attempt("long", long, move || {
                attempt("live", live, move || {
                    server.close_cb(move |_| {
                        let _ = std::fs::remove_dir_all(&dir);
                    });
                })
            })
        });
    });
    server.listen(net::ListenOptions::path(live));
}
