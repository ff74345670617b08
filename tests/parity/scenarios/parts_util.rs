//! The driver shared by the scenarios made of lettered parts, one connection each, run one
//! after the other (`readable_event`, `stream_readable_listener_removed`,
//! `stream_unshift_in_data`, `stream_readable_hwm_zero`; the JS twin is `js/_parts.js`):
//! the server writes `hello`, `world!` a while later and then ends, so each write arrives
//! as a read of its own; a part's `end`, `error` and `close` are printed, and its `close`
//! starts the next part.
use nodenet::net::{self, ConnectOptions, Server, Socket, events::*};

/// When the server writes `world!` and ends (ms after the connection), and the clients'
/// highWaterMark if not the default.
#[derive(Clone, Copy)]
pub struct Schedule {
    pub world_at: u64,
    pub end_at: u64,
    pub high_water_mark: Option<usize>,
}

/// `world!` at 20 ms, the end at 60 ms, clients with the default highWaterMark.
pub const USUAL: Schedule = Schedule {
    world_at: 20,
    end_at: 60,
    high_water_mark: None,
};

/// Run the parts named in `order`, each given its fresh client by `part`, on [`USUAL`].
pub fn run_parts(order: &'static [&'static str], part: fn(&str, Socket)) {
    run_parts_on(order, part, USUAL);
}

/// [`run_parts`] on a schedule of its own.
pub fn run_parts_on(order: &'static [&'static str], part: fn(&str, Socket), at: Schedule) {
    let server = net::create_server();
    server.on(Connection, move |s| {
        s.on(Error, |_| {});
        s.write("hello");
        nodenet::set_timeout(at.world_at, move || {
            s.write("world!");
        });
        nodenet::set_timeout(at.end_at, move || {
            s.end();
        });
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        next(server, port, order, part, at, 0);
    });
    server.listen((0, "127.0.0.1"));
}

fn next(
    server: Server,
    port: u16,
    order: &'static [&'static str],
    part: fn(&str, Socket),
    at: Schedule,
    i: usize,
) {
    let Some(&name) = order.get(i) else {
        server.close();
        return;
    };
    let mut opts: ConnectOptions = (port, "127.0.0.1").into();
    if let Some(hwm) = at.high_water_mark {
        opts.high_water_mark = hwm;
    }
    let c = net::connect(opts);
    part(name, c);
    c.on(End, move |_| out!("{name} end"));
    c.on(Error, move |e| out!("{name} error {}", e.code()));
    c.on(Close, move |_| {
        out!("{name} close");
        next(server, port, order, part, at, i + 1);
    });
}
