//! end() then destroy() in the same tick on a socket with data left unread: the FIN of the
//! end() is not sent in the call (the shutdown waits for the loop's pending phase), so the
//! destroy closes with the data unread and the kernel answers with a reset alone: the
//! client sees ECONNRESET, not an end. (Found by the server-side fuzz test.)
use nodenet::net::{self, ServerOptions, events::*};

pub fn scenario() {
    let server = net::create_server_with(ServerOptions {
        pause_on_connect: true,
        ..ServerOptions::default()
    });
    server.on(Connection, move |s| {
        s.on(Close, move |h| {
            note!("server", "close {h} bytesRead {}", s.bytes_read())
        });
        nodenet::set_timeout(30, move || {
            s.end();
            s.destroy();
            out!("ended and destroyed {}", s.destroyed());
            server.close_cb(|_| out!("server closed"));
        });
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.once(Connect, move |_| {
            c.write("hello");
        });
        c.on(End, |_| note!("client", "end"));
        c.on(Error, |e| note!("client", "error {}", e.code()));
        c.on(Close, |h| note!("client", "close {h}"));
    });
    server.listen((0, "127.0.0.1"));
}
