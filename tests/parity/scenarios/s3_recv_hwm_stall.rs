//! A socket that does not read: the accepted socket (highWaterMark 16 KiB) stops reading the
//! kernel once its buffer reaches highWaterMark, so the client's writes fill the kernel and
//! return false; nothing moves while it waits; once it reads (resume), every byte arrives
//! and the client gets drain.
use std::cell::Cell;
use std::rc::Rc;

use bytes::Bytes;
use nodenet::net::{self, ServerOptions, Socket, events::*};

use super::s3_util::{Count, null, serve, wait_until};

pub fn scenario() {
    let srv: Rc<Cell<Option<Socket>>> = Rc::default();
    let s2 = srv.clone();
    serve(
        ServerOptions {
            high_water_mark: 16384,
            ..Default::default()
        },
        move |s| s2.set(Some(s)),
        move |server, port| {
            let chunk = Bytes::from(vec![97u8; 64 * 1024]);
            let c = net::connect((port, "127.0.0.1"));
            let sent = Count::default();
            c.on(Connect, move |_| {
                while c.write(chunk.clone()) {
                    sent.add(chunk.len());
                }
                sent.add(chunk.len());
                out!(
                    "client write returned false; needDrain {}",
                    c.writable_need_drain()
                );
                let srv2 = srv.clone();
                let srv = srv.clone();
                let sent = sent.clone();
                wait_until(
                    move || {
                        srv2.get().is_some_and(|s| {
                            s.readable_length() >= s.readable_high_water_mark()
                        })
                    },
                    move || {
                        let s = srv.get().expect("accepted");
                        let before = s.bytes_read();
                        nodenet::set_timeout(50, move || {
                            out!(
                                "server stalled: buffered >= hwm {} flowing {} bytesRead unchanged {} client still queued {}",
                                s.readable_length() >= 16384,
                                null(s.readable_flowing()),
                                s.bytes_read() == before,
                                c.writable_length() > 0
                            );
                            let got = Count::default();
                            let g = got.clone();
                            s.on(Data, move |d| {
                                g.add(d.len());
                            });
                            s.on(End, move |_| {
                                out!(
                                    "server end; got all {} bytesRead {}",
                                    got.get() == sent.get(),
                                    s.bytes_read() as usize == sent.get()
                                );
                                server.close();
                            });
                        });
                    },
                );
            });
            c.on(Drain, move |_| {
                out!("client drain {}", c.writable_length());
                c.end();
            });
        },
    );
}
