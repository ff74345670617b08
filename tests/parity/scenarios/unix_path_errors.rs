//! Unix paths that cannot work: connecting to a regular file is refused (ECONNREFUSED,
//! syscall connect, the path as address); a path longer than a socket address holds (120
//! and 10 000 bytes) is not truncated but refused with EINVAL, by connect (whose message
//! Node ends with " - Local (undefined:undefined)") and by listen (an error event, no
//! listening, no file left). Paths are shown as F and L.
use std::path::PathBuf;

use nodenet::net::{self, ConnectOptions, ListenOptions, events::*};

use crate::harness::undef;

fn show(what: &str, e: &nodenet::Error, p: &str) {
    out!(
        "{what} {} {} {} {}",
        e.code(),
        undef(e.syscall()),
        e.address() == Some(p),
        e.message().replace(p, "L")
    );
}

fn step(dir: PathBuf, mut list: Vec<(&'static str, String)>) {
    if list.is_empty() {
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    let (name, p) = list.remove(0);
    let d = net::connect(ConnectOptions::path(p.clone()));
    d.on(Connect, move |_| out!("{name} connect"));
    let p2 = p.clone();
    d.on(Error, move |e| show(&format!("{name} connect"), &e, &p2));
    let mut rest = Some((dir, list));
    d.on(Close, move |h| {
        out!("{name} close {h}");
        let s = net::create_server();
        s.on(Listening, move |_| {
            out!("{name} listening");
            s.close();
        });
        let p3 = p.clone();
        let mut rest = rest.take();
        s.on(Error, move |e| {
            show(&format!("{name} listen"), &e, &p3);
            out!(
                "{name} listening {} file left {}",
                s.listening(),
                std::path::Path::new(&p3).exists()
            );
            if let Some((dir, list)) = rest.take() {
                step(dir, list);
            }
        });
        s.listen(ListenOptions::path(p.clone()));
    });
}

pub fn scenario() {
    let dir = std::env::temp_dir().join(format!(
        "nodenet-parity-paths-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let file = dir.join("plain");
    if let Err(e) = std::fs::create_dir(&dir).and_then(|_| std::fs::write(&file, "x")) {
        out!("cannot make {}: {e}", dir.display());
        return;
    }
    let file = file.to_string_lossy().into_owned();
    let mid = dir.join("y".repeat(120)).to_string_lossy().into_owned();
    let long = dir.join("x".repeat(10000)).to_string_lossy().into_owned();
    let c = net::connect(ConnectOptions::path(file.clone()));
    c.on(Connect, |_| out!("file connect"));
    let f2 = file.clone();
    c.on(Error, move |e| {
        out!(
            "file {} {} {} {}",
            e.code(),
            undef(e.syscall()),
            e.address() == Some(f2.as_str()),
            e.message().replace(f2.as_str(), "F")
        )
    });
    let mut rest = Some((dir, vec![("120", mid), ("10000", long)]));
    c.on(Close, move |h| {
        out!("file close {h}");
        if let Some((dir, list)) = rest.take() {
            step(dir, list);
        }
    });
}
