//! A connection reset before the server accepts it: the server's loop is held (a blocking
//! child process) while a client connects, sends 5 bytes and resets (SO_LINGER 0). Once
//! the loop runs, the server accepts it anyway: `connection` with no peer address (the
//! socket has none left to read), the 5 bytes, then `read ECONNRESET` and close(true).
//! Then again on a server whose sockets have no `error` listener: the reset is uncaught
//! and ends the run (a Node process dies of it).
use std::process::Command;

use nodenet::net::{self, Server, events::*};

use crate::harness::{error_brief, undef};

/// Hold the loop while a client connects to `port`, sends 5 bytes and resets.
fn reset_while_held(port: u16) {
    let client = [
        "import socket, struct, sys".to_string(),
        format!("s = socket.create_connection((\"127.0.0.1\", {port}))"),
        "s.sendall(b\"hello\")".into(),
        "s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack(\"ii\", 1, 0))".into(),
        "s.close()".into(),
    ]
    .join("\n");
    match Command::new("python3").arg("-c").arg(client).output() {
        Ok(_) => out!("client reset"),
        Err(e) => out!("cannot run python3: {e}"),
    }
}

fn port_of(server: Server) -> u16 {
    server.address().map(|a| a.port()).unwrap_or(0)
}

fn bare() {
    let bare = net::create_server();
    bare.on(Connection, |b| {
        out!("bare connection");
        b.on(Data, |d| out!("bare data {}", d.as_bytes().len()));
    });
    bare.on(Listening, move |_| reset_while_held(port_of(bare)));
    bare.listen((0, "127.0.0.1"));
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, move |s| {
        out!(
            "connection {} {} {}",
            undef(s.remote_address()),
            undef(s.remote_port()),
            s.ready_state()
        );
        s.on(Data, |d| out!("data {}", d.as_bytes().len()));
        s.on(End, |_| out!("end"));
        s.on(Error, |e| out!("error {}", error_brief(&e)));
        s.on(Close, move |h| {
            out!("close {h}");
            server.close_cb(|_| {
                out!("server close");
                bare();
            });
        });
    });
    server.on(Listening, move |_| reset_while_held(port_of(server)));
    server.listen((0, "127.0.0.1"));
}
