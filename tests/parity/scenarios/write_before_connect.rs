//! Writes made while connecting are queued (counted in UTF-16 units for strings, bytes for
//! bytesWritten) and sent first, in order, once connected, from a connect listener added by
//! the first of them: a connect listener added before the writes sees them still queued, one
//! added after sees them sent.
use std::cell::RefCell;
use std::rc::Rc;

use nodenet::net::{self, Encoding, Server, events::*};

fn client(server: Server, name: &'static str, listener_first: bool, then: impl FnOnce() + 'static) {
    let port = server.address().map(|a| a.port()).unwrap_or(0);
    let c = net::connect((port, "127.0.0.1"));
    let on_connect = move |_| {
        out!("{name} connect writableLength {}", c.writable_length());
        c.end_with(" after");
    };
    if listener_first {
        c.on(Connect, on_connect);
    }
    out!(
        "{name} write {}",
        c.write_cb("é".repeat(10), move |_| out!("{name} cb 1"))
    );
    out!(
        "{name} write {}",
        c.write_cb(" before", move |_| out!("{name} cb 2"))
    );
    out!(
        "{name} writableLength {} bytesWritten {} {}",
        c.writable_length(),
        c.bytes_written(),
        c.pending()
    );
    if !listener_first {
        c.on(Connect, on_connect);
    }
    c.on(Ready, move |_| {
        out!("{name} ready writableLength {}", c.writable_length())
    });
    c.on(Finish, move |_| {
        out!("{name} finish bytesWritten {}", c.bytes_written())
    });
    c.once(Close, move |_| then());
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        let got = Rc::new(RefCell::new(String::new()));
        let g = got.clone();
        s.set_encoding(Encoding::Utf8);
        s.on(Data, move |d| g.borrow_mut().push_str(&d.to_string()));
        s.on(End, move |_| {
            note!(
                "srvSock",
                "got {} bytesRead {}",
                got.borrow(),
                s.bytes_read()
            )
        });
    });
    server.on(Listening, move |_| {
        client(server, "late", false, move || {
            client(server, "early", true, move || {
                server.close();
            })
        });
    });
    server.listen((0, "127.0.0.1"));
}
