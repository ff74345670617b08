//! readableAll / writableAll on a Unix-socket server: the socket file's permission bits
//! after listen (exactly r--r--r--, -w--w--w- or rw-rw-rw-, whatever they were), a client
//! connects to the world-writable one; on an abstract path (leading \0) listen() throws
//! ERR_INVALID_ARG_VALUE (`try_listen` returns it) and the server does not listen.
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::PathBuf;

use nodenet::net::{self, ConnectOptions, ListenOptions, events::*};

const CASES: [(&str, bool, bool); 4] = [
    ("none", false, false),
    ("readableAll", true, false),
    ("writableAll", false, true),
    ("both", true, true),
];

fn next(dir: PathBuf, i: usize) {
    let Some(&(name, readable, writable)) = CASES.get(i) else {
        abstract_path();
        let _ = std::fs::remove_dir_all(&dir);
        return;
    };
    let p = dir
        .join(format!("{name}.sock"))
        .to_string_lossy()
        .into_owned();
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end_with("hi");
    });
    let p2 = p.clone();
    server.on(Listening, move |_| {
        let meta = std::fs::metadata(&p2);
        let (is_socket, mode) = meta
            .map(|m| (m.file_type().is_socket(), m.permissions().mode() & 0o777))
            .unwrap_or((false, 0));
        out!("{name} listening {is_socket} {mode:o}");
        let c = net::connect(ConnectOptions::path(p2.clone()));
        c.on(Data, move |d| out!("{name} client data {d}"));
        let dir = dir.clone();
        c.on(Close, move |_| {
            let dir = dir.clone();
            server.close_cb(move |_| next(dir, i + 1));
        });
    });
    server.listen(
        ListenOptions::path(p)
            .readable_all(readable)
            .writable_all(writable),
    );
}

fn abstract_path() {
    for (key, readable) in [("readableAll", true), ("writableAll", false)] {
        let server = net::create_server();
        server.on(Error, |e| out!("error event {}", e.code()));
        let opts = ListenOptions::path(format!("\0nodenet-parity-abstract-{}", std::process::id()))
            .readable_all(readable)
            .writable_all(!readable);
        match server.try_listen(opts) {
            Ok(_) => out!("abstract returned"),
            Err(e) => out!("abstract {key} throws {} {}", e.code(), server.listening()),
        }
    }
}

pub fn scenario() {
    let Some(dir) = crate::harness::fresh_dir("all") else {
        return;
    };
    next(dir, 0);
}
