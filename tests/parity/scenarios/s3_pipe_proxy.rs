//! A two-socket proxy (half-open on both of its sockets, as a proxy must be): it accepts a
//! client, connects to an origin and pipes each way. The origin sends 2 MiB and ends; the
//! client sends `ping` and ends; every byte crosses, each end propagates through the proxy,
//! and all four sockets close without error.
use std::cell::RefCell;
use std::rc::Rc;

use nodenet::net::{self, ConnectOptions, Encoding, ServerOptions, events::*};

use super::s3_util::{Count, serve};

const TOTAL: usize = 2 << 20;

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |o| {
            let got = Rc::new(RefCell::new(String::new()));
            o.set_encoding(Encoding::Latin1);
            let g = got.clone();
            o.on(Data, move |d| g.borrow_mut().push_str(&d.to_string()));
            o.on(End, move |_| note!("origin", "end; got {}", got.borrow()));
            o.write(vec![111u8; TOTAL]);
            o.end();
            o.on(Close, |e| note!("origin", "close {e}"));
        },
        |origin, origin_port| {
            serve(
                ServerOptions {
                    allow_half_open: true,
                    ..Default::default()
                },
                move |p| {
                    let up = net::connect(ConnectOptions {
                        allow_half_open: true,
                        ..(origin_port, "127.0.0.1").into()
                    });
                    up.pipe(p);
                    p.pipe(up);
                    up.on(End, |_| note!("proxy up", "end"));
                    up.on(Close, move |e| {
                        note!("proxy up", "close {e} {}", up.bytes_read())
                    });
                    p.on(End, |_| note!("proxy down", "end"));
                    p.on(Close, move |e| {
                        note!("proxy down", "close {e} {}", p.bytes_written())
                    });
                },
                move |proxy, proxy_port| {
                    let c = net::connect((proxy_port, "127.0.0.1"));
                    let got = Count::default();
                    let g = got.clone();
                    c.on(Data, move |d| {
                        g.add(d.len());
                    });
                    c.end_with("ping");
                    c.on(End, move |_| {
                        note!("client", "end; got all {}", got.get() == TOTAL)
                    });
                    c.on(Close, move |e| {
                        note!("client", "close {e}");
                        proxy.close();
                        origin.close();
                    });
                },
            );
        },
    );
}
