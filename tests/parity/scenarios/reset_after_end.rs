//! resetAndDestroy() around the end of the writable side, the client ending first:
//! reset an immediate after the server's `end()` (a no-op once `finish` closed the
//! socket), in the `end` listener of a socket without allowHalfOpen (before its own
//! automatic end: the peer gets ECONNRESET), and right after an `end()` with 4 MiB still
//! queued (no shutdown has begun: the reset goes through).
use nodenet::net::{self, ConnectOptions, ServerOptions, events::*};

const CASES: [&str; 3] = ["immediate", "auto", "queued"];

fn run(i: usize) {
    let Some(&mode) = CASES.get(i) else { return };
    let srv: &'static str = Box::leak(format!("{i}-{mode}-server").into_boxed_str());
    let cli: &'static str = Box::leak(format!("{i}-{mode}-client").into_boxed_str());
    let server = net::create_server_with(ServerOptions {
        allow_half_open: mode != "auto",
        ..ServerOptions::default()
    });
    server.on(Connection, move |s| {
        s.resume();
        s.on(Error, move |e| {
            note!(
                srv,
                "error {} {}",
                e.code(),
                e.syscall().unwrap_or("undefined")
            )
        });
        s.on(Finish, move |_| note!(srv, "finish"));
        s.on(Close, move |h| {
            note!(srv, "close {h} {}", s.destroyed());
            server.close();
        });
        s.on(End, move |_| {
            note!(srv, "end");
            match mode {
                "immediate" => {
                    s.end();
                    nodenet::set_immediate(move || {
                        s.reset_and_destroy();
                    });
                }
                "auto" => {
                    s.reset_and_destroy();
                }
                _ => {
                    note!(srv, "write {}", s.write(vec![0u8; 4 << 20]));
                    s.end();
                    s.reset_and_destroy();
                }
            }
            note!(srv, "after {}", s.destroyed());
        });
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect(ConnectOptions {
            allow_half_open: true,
            ..ConnectOptions::from((port, "127.0.0.1"))
        });
        c.on(Connect, move |_| {
            c.end();
        });
        c.resume();
        c.on(End, move |_| note!(cli, "end"));
        c.on(Error, move |e| note!(cli, "error {}", e.code()));
        c.on(Close, move |h| {
            note!(cli, "close {h}");
            run(i + 1);
        });
    });
    server.listen((0, "127.0.0.1"));
}

pub fn scenario() {
    run(0);
}
