//! pauseOnConnect: the accepted socket arrives paused and does not read; resume() 50 ms
//! later brings the data.
use nodenet::net::{self, ServerOptions, events::*};

use crate::harness::null;

pub fn scenario() {
    let server = net::create_server_with(ServerOptions {
        pause_on_connect: true,
        ..ServerOptions::default()
    });
    server.on(Connection, move |s| {
        out!(
            "connection paused {} {}",
            s.is_paused(),
            null(s.readable_flowing())
        );
        s.on(Data, move |d| {
            out!(
                "data {} bytesRead {}",
                String::from_utf8_lossy(d.as_bytes()),
                s.bytes_read()
            )
        });
        nodenet::set_timeout(50, move || {
            out!("bytesRead before resume {}", s.bytes_read());
            s.resume();
        });
        s.on(End, move |_| {
            out!("end");
            server.close();
        });
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.end_with("hello");
    });
    server.listen((0, "127.0.0.1"));
}
