//! read(n) with n above readableHighWaterMark: the socket had stopped reading at its
//! highWaterMark (16 KiB); read(100000) returns null but raises readableHighWaterMark to the
//! next power of two (131072) and reading resumes, so a later read(100000) gets the bytes.
use nodenet::net::{self, ConnectOptions, ServerOptions, events::*};

use super::s3_util::{null, serve, wait_until};

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            s.end_with(vec![7u8; 100000]);
        },
        |server, port| {
            let c = net::connect(ConnectOptions {
                high_water_mark: 16384,
                ..(port, "127.0.0.1").into()
            });
            wait_until(
                move || c.readable_length() >= 16384,
                move || {
                    nodenet::set_timeout(20, move || {
                        out!(
                            "stopped at hwm {} {} {} {}",
                            c.readable_length() >= 16384,
                            c.readable_length() < 100000,
                            c.readable_high_water_mark(),
                            c.writable_high_water_mark()
                        );
                        let r = c.read(Some(100000));
                        out!(
                            "read(100000) {} {} {}",
                            null(r),
                            c.readable_high_water_mark(),
                            c.writable_high_water_mark()
                        );
                        wait_until(
                            move || c.readable_length() >= 100000,
                            move || {
                                let b = c.read(Some(100000)).expect("buffered");
                                out!("read(100000) later {} {}", b.len(), c.readable_length());
                                c.resume();
                            },
                        );
                    });
                },
            );
            c.on(End, |_| out!("end"));
            c.on(Close, move |_| {
                server.close();
            });
        },
    );
}
