//! A normal lifecycle, the client ending first: the server echoes `hello`, the client ends
//! when the echo arrives; readyState at every event.
use nodenet::net::{self, Socket, events::*};

pub fn watch(name: &'static str, s: Socket) {
    s.on(Connect, move |_| note!(name, "connect {}", s.ready_state()));
    s.on(Ready, move |_| note!(name, "ready {}", s.ready_state()));
    s.on(End, move |_| note!(name, "end {}", s.ready_state()));
    s.on(Finish, move |_| note!(name, "finish {}", s.ready_state()));
    s.on(Data, move |d| note!(name, "data {d} {}", s.ready_state()));
    s.on(Close, move |e| note!(name, "close {e} {}", s.ready_state()));
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        out!("server connection");
        watch("srvSock", s);
        s.on(Data, move |d| {
            s.write(d);
        });
    });
    server.on(Listening, |_| out!("server listening"));
    server.on(Close, |_| out!("server close"));
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        note!(
            "client",
            "after connect() {} {} {}",
            c.ready_state(),
            c.connecting(),
            c.pending()
        );
        watch("client", c);
        c.on(Connect, move |_| {
            c.write("hello");
        });
        c.on(Data, move |_| {
            c.end();
            note!(
                "client",
                "after end() {} {}",
                c.ready_state(),
                c.writable_ended()
            );
        });
        c.on(Close, move |_| {
            server.close();
        });
    });
    server.listen((0, "127.0.0.1"));
}
