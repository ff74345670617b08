//! Three fill/drain cycles: the client writes 256 KiB chunks until write() returns false
//! (the kernel is full: the reader runs on the same loop), then two more small writes, which
//! also return false; exactly one drain per cycle, before the callbacks of the writes that
//! completed with it; every callback once, in order; every byte arrives.
use std::cell::Cell;
use std::rc::Rc;

use bytes::Bytes;
use nodenet::net::{self, Chunk, ServerOptions, Socket, events::*};

use super::s3_util::{Count, serve};

#[derive(Default)]
struct St {
    writes: Cell<usize>,
    cbs: Cell<usize>,
    in_order: Cell<bool>,
    last_cb_done: Cell<bool>,
    cycle: Cell<usize>,
    drains: Cell<usize>,
}

fn write(c: Socket, st: &Rc<St>, written: &Count, data: Chunk, last: bool) -> bool {
    let i = st.writes.get();
    st.writes.set(i + 1);
    written.add(data.len());
    let st = st.clone();
    c.write_cb(data, move |e| {
        if e.is_some() || i != st.cbs.get() {
            st.in_order.set(false);
        }
        st.cbs.set(st.cbs.get() + 1);
        if last {
            st.last_cb_done.set(true);
        }
    })
}

fn fill(c: Socket, st: &Rc<St>, written: &Count, chunk: &Bytes) {
    st.cycle.set(st.cycle.get() + 1);
    st.last_cb_done.set(false);
    while write(c, st, written, Chunk::Bytes(chunk.clone()), false) {}
    let a = write(c, st, written, "x".into(), false);
    let b = write(c, st, written, b"y".into(), true);
    out!(
        "cycle {} extra writes {a} {b} needDrain {} over hwm {}",
        st.cycle.get(),
        c.writable_need_drain(),
        c.writable_length() >= c.writable_high_water_mark()
    );
}

pub fn scenario() {
    let chunk = Bytes::from(vec![120u8; 256 * 1024]);
    let written = Count::default();
    let w = written.clone();
    serve(
        ServerOptions::default(),
        move |s| {
            let got = Count::default();
            let g = got.clone();
            s.on(Data, move |d| {
                g.add(d.len());
            });
            let w = w.clone();
            s.on(End, move |_| {
                note!("srvSock", "end; got all {}", got.get() == w.get())
            });
        },
        move |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            let st = Rc::new(St {
                in_order: Cell::new(true),
                ..St::default()
            });
            let (s2, w2, ch2) = (st.clone(), written.clone(), chunk.clone());
            c.on(Connect, move |_| fill(c, &s2, &w2, &ch2));
            let (s2, w2) = (st.clone(), written.clone());
            c.on(Drain, move |_| {
                let d = s2.drains.get() + 1;
                s2.drains.set(d);
                out!(
                    "drain {d} length {} needDrain {} last cb done {}",
                    c.writable_length(),
                    c.writable_need_drain(),
                    s2.last_cb_done.get()
                );
                let s3 = s2.clone();
                nodenet::next_tick(move || {
                    out!("  next tick: last cb done {}", s3.last_cb_done.get())
                });
                if s2.cycle.get() < 3 {
                    fill(c, &s2, &w2, &chunk);
                } else {
                    c.end();
                }
            });
            c.on(Finish, move |_| {
                out!(
                    "finish; callbacks {} in order {} bytesWritten ok {}",
                    st.cbs.get() == st.writes.get(),
                    st.in_order.get(),
                    c.bytes_written() as usize == written.get()
                )
            });
            c.on(Close, move |_| {
                server.close();
            });
        },
    );
}
