//! Ports of test-stream-writable-needdrain-state and test-stream-write-drain (writable
//! side): writableNeedDrain on a client with highWaterMark 16. A 20-byte write made while
//! connecting returns false and sets it; the connect sends it, and `drain` (it false
//! again) comes before the write's callback. An end() after such a write clears it at once
//! (Node reads it as false once ending) and no `drain` follows; so does a destroy(). A
//! corked 20-byte write sets it too; the uncork hands it to the kernel, and it stays set
//! until the write's completion tick emits `drain`; a second 20-byte write the kernel takes
//! inside the call, before that tick, returns true, and the one tick emits one `drain`.
use nodenet::net::{self, ConnectOptions, ServerOptions, Socket, events::*};

use super::s3_util::{cb_err, serve};

fn big() -> Vec<u8> {
    vec![120u8; 20]
}

fn open(port: u16, name: &'static str, next: impl FnOnce() + 'static) -> Socket {
    let c = net::connect(ConnectOptions {
        high_water_mark: 16,
        ..(port, "127.0.0.1").into()
    });
    c.on(Drain, move |_| {
        out!(
            "{name} drain {} {}",
            c.writable_need_drain(),
            c.writable_length()
        )
    });
    c.on(Finish, move |_| {
        out!("{name} finish {}", c.writable_need_drain())
    });
    let mut next = Some(next);
    c.on(Close, move |_| {
        out!("{name} close {}", c.writable_need_drain());
        if let Some(n) = next.take() {
            n();
        }
    });
    c
}

fn f_step(port: u16, server: net::Server) {
    let f = open(port, "f", move || {
        server.close();
    });
    f.on(Connect, move |_| {
        f.cork();
        let r = f.write_cb(big(), |err| out!("f cb 1 {}", cb_err(&err)));
        out!("f corked write {r}");
        f.uncork();
        let r = f.write_cb(big(), move |err| {
            out!("f cb 2 {} {}", cb_err(&err), f.writable_need_drain());
            f.end();
        });
        out!(
            "f write {r} {} {}",
            f.writable_need_drain(),
            f.writable_length()
        );
        nodenet::next_tick(move || out!("f tick {}", f.writable_need_drain()));
    });
}

fn e_step(port: u16, server: net::Server) {
    let e = open(port, "e", move || f_step(port, server));
    e.on(Connect, move |_| {
        e.cork();
        let r = e.write_cb(big(), move |err| {
            out!("e cb {} {}", cb_err(&err), e.writable_need_drain());
            e.end();
        });
        out!(
            "e corked write {r} {} {}",
            e.writable_need_drain(),
            e.writable_length()
        );
        e.uncork();
        out!(
            "e uncorked {} {}",
            e.writable_need_drain(),
            e.writable_length()
        );
        nodenet::next_tick(move || out!("e tick {}", e.writable_need_drain()));
    });
}

fn d_step(port: u16, server: net::Server) {
    let d = open(port, "d", move || e_step(port, server));
    out!("d fresh {}", d.writable_need_drain());
    let r = d.write_cb(big(), |err| out!("d cb {}", cb_err(&err)));
    out!("d write {r} {}", d.writable_need_drain());
    d.destroy();
    out!(
        "d destroyed {} {}",
        d.writable_need_drain(),
        d.writable_length()
    );
}

fn b_step(port: u16, server: net::Server) {
    let b = open(port, "b", move || d_step(port, server));
    let r = b.write_cb(big(), move |err| {
        out!("b cb {} {}", cb_err(&err), b.writable_need_drain())
    });
    out!("b write {r} {}", b.writable_need_drain());
    b.end();
    out!(
        "b ended {} {}",
        b.writable_need_drain(),
        b.writable_length()
    );
}

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            s.resume();
        },
        |server, port| {
            let a = open(port, "a", move || b_step(port, server));
            out!("a fresh {}", a.writable_need_drain());
            let r = a.write_cb(big(), move |err| {
                out!("a cb {} {}", cb_err(&err), a.writable_need_drain());
                a.end();
            });
            out!(
                "a write {r} {} {}",
                a.writable_need_drain(),
                a.writable_length()
            );
            let r = a.write("y");
            out!(
                "a small write {r} {} {}",
                a.writable_need_drain(),
                a.writable_length()
            );
        },
    );
}
