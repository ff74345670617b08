//! readableFlowing and isPaused(): null until a consumer appears. pause() while connecting
//! is honoured at connect: the socket does not even read (bytesRead 0), and a data listener
//! added later does not resume it. resume() flows; pause() stops data (the bytes wait in the
//! buffer); resume() again; nothing is lost.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, ServerOptions, Socket, events::*};

use super::s3_util::{null, serve, wait_until};

pub fn scenario() {
    let srv: Rc<Cell<Option<Socket>>> = Rc::default();
    let s2 = srv.clone();
    serve(
        ServerOptions::default(),
        move |s| {
            s2.set(Some(s));
            s.write("abc");
        },
        move |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            let st = move |what: &str| {
                out!(
                    "{what} {} {} {} {}",
                    null(c.readable_flowing()),
                    c.is_paused(),
                    c.readable_length(),
                    c.bytes_read()
                )
            };
            st("fresh");
            c.pause();
            st("pause()");
            let got = Rc::new(RefCell::new(String::new()));
            let g = got.clone();
            c.on(Data, move |d| {
                let s = String::from_utf8_lossy(d.as_bytes()).to_string();
                g.borrow_mut().push_str(&s);
                out!("data {s} {}", null(c.readable_flowing()));
            });
            st("data listener added");
            let g = got.clone();
            c.on(Connect, move |_| {
                let (g, srv) = (g.clone(), srv.clone());
                nodenet::set_timeout(30, move || {
                    st("30 ms after connect");
                    c.resume();
                    st("resume()");
                    let g2 = g.clone();
                    wait_until(
                        move || g2.borrow().len() == 3,
                        move || {
                            c.pause();
                            st("pause() again");
                            srv.get().expect("accepted").end_with("def");
                            wait_until(
                                move || c.readable_length() == 3,
                                move || {
                                    st("buffered while paused");
                                    c.resume();
                                    st("resume() again");
                                },
                            );
                        },
                    );
                });
            });
            c.on(End, move |_| out!("end {}", got.borrow()));
            c.on(Close, move |_| {
                server.close();
            });
        },
    );
}
