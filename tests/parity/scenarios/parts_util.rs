//! The driver shared by the scenarios made of lettered parts, one connection each, run one
//! after the other (`readable_event`, `stream_readable_listener_removed`,
//! `stream_unshift_in_data`): the server writes `hello`, `world!` 20 ms later and ends at
//! 60 ms, so each write arrives as a read of its own; a part's `end`, `error` and `close`
//! are printed, and its `close` starts the next part.
use nodenet::net::{self, Server, Socket, events::*};

/// Run the parts named in `order`, each given its fresh client by `part`.
pub fn run_parts(order: &'static [&'static str], part: fn(&str, Socket)) {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.on(Error, |_| {});
        s.write("hello");
        nodenet::set_timeout(20, move || {
            s.write("world!");
        });
        nodenet::set_timeout(60, move || {
            s.end();
        });
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        next(server, port, order, part, 0);
    });
    server.listen((0, "127.0.0.1"));
}

fn next(
    server: Server,
    port: u16,
    order: &'static [&'static str],
    part: fn(&str, Socket),
    i: usize,
) {
    let Some(&name) = order.get(i) else {
        server.close();
        return;
    };
    let c = net::connect((port, "127.0.0.1"));
    part(name, c);
    c.on(End, move |_| out!("{name} end"));
    c.on(Error, move |e| out!("{name} error {}", e.code()));
    c.on(Close, move |_| {
        out!("{name} close");
        next(server, port, order, part, i + 1);
    });
}
