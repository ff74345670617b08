//! Found by the differential test (fuzz_socket): writes made while connecting leave at
//! connect, the first alone (its callback, if any, runs inside the connect, after `drain`)
//! and the rest as one group whose callbacks run on next tick, so after `ready`. Two
//! clients: the first write without a callback, then with one.
use nodenet::net::{self, events::*};

fn client(port: u16, name: &'static str, first_cb: bool, then: impl FnOnce() + 'static) {
    let c = net::connect((port, "127.0.0.1"));
    c.on(Connect, move |_| out!("{name} connect"));
    c.on(Ready, move |_| out!("{name} ready"));
    c.on(Drain, move |_| out!("{name} drain"));
    let mut then = Some(then);
    c.on(Close, move |_| {
        if let Some(t) = then.take() {
            t();
        }
    });
    let big = vec![b'x'; 70000];
    let r = if first_cb {
        c.write_cb(big, move |_| out!("{name} cb big"))
    } else {
        c.write(big)
    };
    out!("{name} write big {r}");
    out!(
        "{name} write y {}",
        c.write_cb("y", move |_| out!("{name} cb y"))
    );
    out!(
        "{name} write z {}",
        c.write_cb("z", move |_| out!("{name} cb z"))
    );
    c.on(Connect, move |_| {
        nodenet::next_tick(move || {
            c.end();
        })
    });
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.resume();
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        client(port, "a", false, move || {
            client(port, "b", true, move || {
                server.close();
            })
        });
    });
    server.listen((0, "127.0.0.1"));
}
