//! read(n) in paused mode: once the 11 bytes of `hello world` are buffered, read(2) takes 2,
//! read(0) and read(100) (more than buffered, no FIN yet) give null, read() the rest; each
//! read emits data; with setEncoding, n and readableLength count characters. end follows the
//! server's FIN once the buffer is empty.
use std::cell::RefCell;
use std::rc::Rc;

use nodenet::net::{self, Encoding, ServerOptions, Socket, events::*};

use super::s3_util::{null, serve, wait_until};

fn round(
    port: u16,
    sockets: Rc<RefCell<Vec<Socket>>>,
    name: &'static str,
    enc: Option<Encoding>,
    then: impl FnOnce() + 'static,
) {
    let c = net::connect((port, "127.0.0.1"));
    if let Some(e) = enc {
        c.set_encoding(e);
    }
    c.on(Data, move |d| out!("{name} data {d}"));
    c.pause();
    c.on(End, move |_| out!("{name} end {}", c.readable_length()));
    let then = std::cell::Cell::new(Some(then));
    c.on(Close, move |e| {
        out!("{name} close {e}");
        if let Some(t) = then.take() {
            t();
        }
    });
    wait_until(
        move || c.readable_length() == 11,
        move || {
            out!(
                "{name} buffered {} {} {}",
                c.readable_length(),
                null(c.readable_flowing()),
                c.is_paused()
            );
            let r = c.read(Some(2));
            out!("{name} read(2) {} {}", null(r), c.readable_length());
            let r = c.read(Some(0));
            out!("{name} read(0) {} {}", null(r), c.readable_length());
            let r = c.read(Some(100));
            out!("{name} read(100) {} {}", null(r), c.readable_length());
            let r = c.read(None);
            out!("{name} read() {} {}", null(r), c.readable_length());
            out!("{name} read() again {}", null(c.read(None)));
            let last = *sockets.borrow().last().expect("accepted");
            last.end();
        },
    );
}

pub fn scenario() {
    let sockets: Rc<RefCell<Vec<Socket>>> = Rc::default();
    let sk = sockets.clone();
    serve(
        ServerOptions::default(),
        move |s| {
            sk.borrow_mut().push(s);
            s.write(if sk.borrow().len() == 1 {
                "hello world"
            } else {
                "héllo wörld"
            });
        },
        move |server, port| {
            let sk = sockets.clone();
            round(port, sockets, "bytes:", None, move || {
                round(port, sk, "utf8:", Some(Encoding::Utf8), move || {
                    server.close();
                })
            });
        },
    );
}
