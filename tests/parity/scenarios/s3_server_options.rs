//! Server options applied to each accepted socket before connection: highWaterMark (both
//! sides), pauseOnConnect (paused, not reading: bytesRead 0 until resume), allowHalfOpen
//! (writable after the client's end), with noDelay, keepAlive and keepAliveInitialDelay
//! set, which change nothing visible in the stream.
use nodenet::net::{self, Encoding, ServerOptions, events::*};

use super::s3_util::{Count, null, serve};

pub fn scenario() {
    serve(
        ServerOptions {
            no_delay: true,
            keep_alive: true,
            keep_alive_initial_delay: 1000,
            high_water_mark: 4096,
            pause_on_connect: true,
            allow_half_open: true,
            ..Default::default()
        },
        |s| {
            out!(
                "connection {} {} {} {} {}",
                s.writable_high_water_mark(),
                s.readable_high_water_mark(),
                s.is_paused(),
                null(s.readable_flowing()),
                s.allow_half_open()
            );
            s.set_encoding(Encoding::Utf8);
            nodenet::set_timeout(30, move || {
                out!(
                    "30 ms later bytesRead {} {}",
                    s.bytes_read(),
                    s.readable_length()
                );
                s.on(Data, move |d| out!("data {d} {}", s.is_paused()));
                s.resume();
            });
            s.on(End, move |_| {
                out!("end {} {}", s.ready_state(), s.writable());
                let r = s.write(vec![98u8; 8192]);
                out!("write 8192 bytes {r} {}", s.writable_length());
                s.end_with("!");
            });
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            c.end_with("hello");
            let got = Count::default();
            let g = got.clone();
            c.on(Data, move |d| {
                g.add(d.len());
            });
            c.on(End, move |_| out!("client end {}", got.get()));
            c.on(Close, move |e| {
                out!("client close {e}");
                server.close();
            });
        },
    );
}
