//! Node 24's `onread` option: reads go into the caller's buffer (at most its length per
//! read) and to the callback, never to `data` (not even with a `data` listener); `end` and
//! `close` follow the last callback. The client starts paused and resumes once the server
//! has sent all of "hello world" and its FIN, so the reads are 8 then 3 bytes whatever the
//! timing. Three runs: plain (with a `data` listener); the callback returns false and a
//! timer resumes; the callback calls pause() and a timer resumes. The whole buffer is
//! printed at each call: the second read lands over the first ("rldlo wo").
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, ConnectOptions, OnRead, Socket, events::*};

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Plain,
    False,
    Pause,
}

fn run(name: &'static str, mode: Mode, next: fn()) {
    let srv = net::create_server();
    let client: Rc<Cell<Option<Socket>>> = Rc::new(Cell::new(None));
    let c2 = client.clone();
    srv.on(Connection, move |c| {
        srv.close();
        let client = c2.clone();
        c.on(Finish, move |_| {
            if let Some(s) = client.get() {
                out!("{name} server finished; client paused {}", s.is_paused());
                s.resume();
            }
        });
        c.end_with(message());
    });
    srv.on(Listening, move |_| {
        let port = srv.address().map(|a| a.port()).unwrap_or(0);
        let calls = Rc::new(Cell::new(0u32));
        let first_ptr: Rc<RefCell<Option<*const u8>>> = Rc::new(RefCell::new(None));
        let counted = calls.clone();
        let onread = OnRead::new(vec![0; 8], move |s, n, buf| {
            counted.set(counted.get() + 1);
            let same = *first_ptr.borrow_mut().get_or_insert(buf.as_ptr()) == buf.as_ptr();
            out!(
                "{name} cb {n} {:?} buffer {:?} same {same} bytesRead {}",
                String::from_utf8_lossy(&buf[..n]),
                String::from_utf8_lossy(buf),
                s.bytes_read()
            );
            if counted.get() != 1 {
                return true;
            }
            match mode {
                Mode::False => {
                    nodenet::set_timeout(20, move || {
                        out!("{name} timer: resume; paused {}", s.is_paused());
                        s.resume();
                    });
                    false
                }
                Mode::Pause => {
                    s.pause();
                    out!("{name} paused in callback {}", s.is_paused());
                    nodenet::set_timeout(20, move || {
                        out!("{name} timer: resume");
                        s.resume();
                    });
                    true
                }
                Mode::Plain => true,
            }
        });
        let s = net::connect(ConnectOptions {
            onread: Some(onread),
            ..(port, "127.0.0.1").into()
        });
        client.set(Some(s));
        s.pause();
        if mode == Mode::Plain {
            s.on(Data, move |d| out!("{name} DATA {d:?}"));
        }
        s.on(End, move |_| {
            out!(
                "{name} end bytesRead {} callbacks {}",
                s.bytes_read(),
                calls.get()
            )
        });
        s.on(Close, move |had_error| {
            out!("{name} close {had_error}");
            next();
        });
    });
    srv.listen((0, "127.0.0.1"));
}

fn message() -> &'static str {
    "hello world"
}

pub fn scenario() {
    run("plain", Mode::Plain, || {
        run("false", Mode::False, || run("pause", Mode::Pause, || {}))
    });
}
