//! write() returns what is left queued after trying the kernel: on an idle connection a
//! 4 KiB write with highWaterMark 1024 returns true and leaves nothing queued, as do
//! 16383 + 1 bytes; callbacks come on next tick, in order.
use nodenet::net::{self, ConnectOptions, ServerOptions, events::*};

use super::s3_util::{Count, cb_err, serve};

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            let n = Count::default();
            let n2 = n.clone();
            s.on(Data, move |d| {
                n2.add(d.len());
            });
            s.on(End, move |_| note!("srvSock", "got {}", n.get()));
        },
        |server, port| {
            let c = net::connect(ConnectOptions {
                high_water_mark: 1024,
                ..(port, "127.0.0.1").into()
            });
            c.on(Connect, move |_| {
                let r = c.write_cb(vec![97u8; 4096], |e| out!("cb 4096 {}", cb_err(&e)));
                out!(
                    "4096 {r} {} {}",
                    c.writable_length(),
                    c.writable_need_drain()
                );
                let r = c.write_cb(vec![98u8; 16383], |e| out!("cb 16383 {}", cb_err(&e)));
                out!("16383 {r} {}", c.writable_length());
                let r = c.write_cb("c", |e| out!("cb 1 {}", cb_err(&e)));
                out!("1 {r} {} {}", c.writable_length(), c.bytes_written());
                nodenet::next_tick(|| out!("next tick"));
                c.end();
            });
            c.on(Drain, |_| out!("drain"));
            c.on(Finish, move |_| out!("finish {}", c.bytes_written()));
            c.on(Close, move |_| {
                server.close();
            });
        },
    );
}
