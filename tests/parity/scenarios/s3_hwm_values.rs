//! highWaterMark: 64 KiB on both sides of a new, a client and an accepted socket by default;
//! the server option sets it for accepted sockets, the socket/connect option for clients.
use std::cell::RefCell;
use std::rc::Rc;

use nodenet::net::{self, ConnectOptions, Server, ServerOptions, Socket, SocketOptions, events::*};

use super::s3_util::{Count, serve};

fn hwm(s: Socket) -> String {
    format!(
        "{} {}",
        s.writable_high_water_mark(),
        s.readable_high_water_mark()
    )
}

pub fn scenario() {
    out!("new Socket {}", hwm(Socket::new(SocketOptions::default())));
    let small = Socket::new(SocketOptions {
        high_water_mark: 1000,
        ..Default::default()
    });
    out!("new Socket highWaterMark 1000 {}", hwm(small));

    let servers: Rc<RefCell<Vec<Server>>> = Rc::default();
    let closed = Count::default();
    let done = {
        let servers = servers.clone();
        move || {
            if closed.inc() == 2 {
                servers.borrow().iter().for_each(|s| {
                    s.close();
                });
            }
        }
    };
    let sv = servers.clone();
    serve(
        ServerOptions::default(),
        |s| {
            note!("a srvSock", "{}", hwm(s));
            s.end();
        },
        move |a, port_a| {
            sv.borrow_mut().push(a);
            let sv2 = sv.clone();
            serve(
                ServerOptions {
                    high_water_mark: 4096,
                    ..Default::default()
                },
                |s| {
                    note!("b srvSock", "{}", hwm(s));
                    s.end();
                },
                move |b, port_b| {
                    sv2.borrow_mut().push(b);
                    let c1 = net::connect((port_a, "127.0.0.1"));
                    note!("a client", "{}", hwm(c1));
                    c1.resume();
                    let d = done.clone();
                    c1.on(Close, move |_| d());
                    let c2 = net::connect(ConnectOptions {
                        high_water_mark: 2048,
                        ..(port_b, "127.0.0.1").into()
                    });
                    note!("b client", "{}", hwm(c2));
                    c2.resume();
                    c2.on(Close, move |_| done());
                },
            );
        },
    );
}
