//! The driver shared by the scenarios made of lettered parts, one connection each, run one
//! after the other (`readable_event`, `stream_readable_listener_removed`,
//! `stream_unshift_in_data`, `stream_readable_hwm_zero`; the JS twin is `js/_parts.js`):
//! the server writes `hello`, `world!` a while later and then ends, so each write arrives
//! as a read of its own; a part's `end`, `error` and `close` are printed, and its `close`
//! starts the next part. `run_parts_served` gives each part a server of its own
//! (`stream2_read_n`).
use std::cell::Cell;
use std::rc::Rc;

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
pub fn run_parts(order: &'static [&'static str], part: fn(&'static str, Socket)) {
    run_parts_on(order, part, USUAL);
}

/// [`run_parts`] on a schedule of its own.
pub fn run_parts_on(order: &'static [&'static str], part: fn(&'static str, Socket), at: Schedule) {
    let serve = move |_: &str, s: Socket| {
        s.write("hello");
        nodenet::set_timeout(at.world_at, move || {
            s.write("world!");
        });
        nodenet::set_timeout(at.end_at, move || {
            s.end();
        });
    };
    let connect = move |_: &str, opts: &mut ConnectOptions| {
        if let Some(hwm) = at.high_water_mark {
            opts.high_water_mark = hwm;
        }
    };
    drive(order, part, Box::new(serve), Box::new(connect));
}

/// [`run_parts`] where each part has a server of its own: `serve(name, s)` is what the
/// server does with part `name`'s connection, and `connect(name, opts)` sets that part's
/// connect options.
pub fn run_parts_served(
    order: &'static [&'static str],
    part: fn(&'static str, Socket),
    serve: fn(&str, Socket),
    connect: fn(&str, &mut ConnectOptions),
) {
    drive(order, part, Box::new(serve), Box::new(connect));
}

type Serve = Box<dyn Fn(&str, Socket)>;
type Connect = Box<dyn Fn(&str, &mut ConnectOptions)>;

struct Driver {
    order: &'static [&'static str],
    serve: Serve,
    connect: Connect,
    part: fn(&'static str, Socket),
    /// The part whose connection the server gets next.
    current: Cell<&'static str>,
}

fn drive(
    order: &'static [&'static str],
    part: fn(&'static str, Socket),
    serve: Serve,
    connect: Connect,
) {
    let d = Rc::new(Driver {
        order,
        serve,
        connect,
        part,
        current: Cell::new(""),
    });
    let server = net::create_server();
    let on_conn = d.clone();
    server.on(Connection, move |s| {
        s.on(Error, |_| {});
        (on_conn.serve)(on_conn.current.get(), s);
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        next(server, port, d.clone(), 0);
    });
    server.listen((0, "127.0.0.1"));
}

fn next(server: Server, port: u16, d: Rc<Driver>, i: usize) {
    let Some(&name) = d.order.get(i) else {
        server.close();
        return;
    };
    d.current.set(name);
    let mut opts: ConnectOptions = (port, "127.0.0.1").into();
    (d.connect)(name, &mut opts);
    let c = net::connect(opts);
    (d.part)(name, c);
    c.on(End, move |_| out!("{name} end"));
    c.on(Error, move |e| out!("{name} error {}", e.code()));
    c.on(Close, move |_| {
        out!("{name} close");
        next(server, port, d.clone(), i + 1);
    });
}
