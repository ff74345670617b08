//! A Unix server's address(): null before any listen, then the path from the listen() call
//! on: before `listening`, while listening, after close() and after `close`; a listen that
//! fails (a path in a directory that does not exist) answers its path too, with the error.
//! Paths are shown as P and Q.
use nodenet::net::{self, ListenOptions, ServerAddress, events::*};

use crate::harness::{DirGuard, fresh_dir, undef};

fn show(a: Option<ServerAddress>, p: &str, q: &str) -> String {
    match a {
        Some(ServerAddress::Path(x)) if x == p => "P".into(),
        Some(ServerAddress::Path(x)) if x == q => "Q".into(),
        Some(other) => other.to_string(),
        None => "null".into(),
    }
}

pub fn scenario() {
    let Some(dir) = fresh_dir("unix-address") else {
        return;
    };
    let p = dir.join("s.sock").to_string_lossy().into_owned();
    let q = dir
        .join("missing")
        .join("s.sock")
        .to_string_lossy()
        .into_owned();
    let guard = DirGuard(dir);
    let s = net::create_server();
    out!("before listen {}", show(s.address(), &p, &q));
    s.listen(ListenOptions::path(p.clone()));
    out!(
        "after listen() {} listening {}",
        show(s.address(), &p, &q),
        s.listening()
    );
    s.on(Listening, move |_| {
        let _ = &guard;
        out!("listening {}", show(s.address(), &p, &q));
        let (p2, q2) = (p.clone(), q.clone());
        s.close_cb(move |_| {
            out!(
                "closed {} listening {}",
                show(s.address(), &p2, &q2),
                s.listening()
            );
            let t = net::create_server();
            let (p3, q3) = (p2.clone(), q2.clone());
            t.on(Error, move |e| {
                out!(
                    "error {} {} {} listening {}",
                    e.code(),
                    undef(e.syscall()),
                    show(t.address(), &p3, &q3),
                    t.listening()
                )
            });
            t.listen(ListenOptions::path(q2.clone()));
            out!("failing listen() {}", show(t.address(), &p2, &q2));
        });
        out!(
            "after close() {} listening {}",
            show(s.address(), &p, &q),
            s.listening()
        );
    });
}
