//! Descriptors that are not sockets: `Socket::from_fd` refuses -1 with ERR_OUT_OF_RANGE and
//! a regular file with ERR_INVALID_FD_TYPE (Node's `new net.Socket({ fd })` throws them);
//! listening on the file emits error (EINVAL, syscall listen) on next tick, ahead of a tick
//! queued after it, and does not listen; `try_listen` refuses fd -1 with
//! ERR_INVALID_ARG_VALUE (Node's listen throws).
use std::os::fd::AsRawFd;

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
    let fd = file.as_raw_fd();

    for (label, fd) in [("-1", -1), ("file", fd)] {
        match Socket::from_fd(fd, SocketOptions::default()) {
            Ok(_) => out!("socket {label} created"),
            Err(e) => out!("socket {label} throws {} {}", e.code(), e.message()),
        }
    }

    let server = net::create_server();
    server.on(Listening, |_| out!("listening"));
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
    server.listen(ListenOptions::fd(fd));
    out!("listen returned {}", server.listening());
    nodenet::next_tick(|| out!("tick"));

    match net::create_server().try_listen(ListenOptions::fd(-1)) {
        Ok(_) => out!("listen fd -1 returned"),
        Err(e) => out!("listen fd -1 throws {}", e.code()),
    }
}
