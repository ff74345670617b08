//! Descriptors that are not sockets: `Socket::from_fd` refuses -1 with ERR_OUT_OF_RANGE and
//! a regular file with ERR_INVALID_FD_TYPE (Node's `new net.Socket({ fd })` throws them);
//! listening on the file emits error (EINVAL, syscall listen) on next tick, ahead of a tick
//! queued after it, and does not listen; `try_listen` refuses fd -1 with
//! ERR_INVALID_ARG_VALUE (Node's listen throws).
use std::os::fd::OwnedFd;

use nodenet::net::{self, ListenOptions, Socket, SocketOptions, events::*};

use crate::harness::undef;

pub fn scenario() {
    let dir = std::env::temp_dir().join(format!(
        "nodenet-parity-fd-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let file = match std::fs::create_dir(&dir).and_then(|_| {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(dir.join("file"))
    }) {
        Ok(f) => f,
        Err(e) => {
            out!("cannot make a file in {}: {e}", dir.display());
            return;
        }
    };

    // The file is handed over as a duplicate each time (what is refused is closed with it).
    let dup = |f: &std::fs::File| f.try_clone().map(OwnedFd::from);
    for label in ["-1", "file"] {
        let r = if label == "-1" {
            // SAFETY: a negative number holds no descriptor.
            unsafe { Socket::from_raw_fd(-1, SocketOptions::default()) }
        } else {
            match dup(&file) {
                Ok(d) => Socket::from_fd(d, SocketOptions::default()),
                Err(e) => {
                    out!("cannot dup the file: {e}");
                    return;
                }
            }
        };
        match r {
            Ok(_) => out!("socket {label} created"),
            Err(e) => out!("socket {label} throws {} {}", e.code(), e.message()),
        }
    }

    let server = net::create_server();
    server.on(Listening, |_| out!("listening"));
    let listen_fd = match dup(&file) {
        Ok(d) => d,
        Err(e) => {
            out!("cannot dup the file: {e}");
            return;
        }
    };
    let mut file = Some(file);
    server.on(Error, move |e| {
        out!(
            "listen error {} {} {} {} {}",
            e.code(),
            undef(e.errno()),
            undef(e.syscall()),
            e.message(),
            server.listening()
        );
        drop(file.take());
        let _ = std::fs::remove_dir_all(&dir);
    });
    server.listen(ListenOptions::fd(listen_fd));
    out!("listen returned {}", server.listening());
    nodenet::next_tick(|| out!("tick"));

    // SAFETY: a negative number holds no descriptor.
    match net::create_server().try_listen(unsafe { ListenOptions::from_raw_fd(-1) }) {
        Ok(_) => out!("listen fd -1 returned"),
        Err(e) => out!("listen fd -1 throws {}", e.code()),
    }
}
