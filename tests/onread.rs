//! The `onread` option end to end: a large transfer through a small buffer, stopped often
//! by the callback's `false` and by `pause()` inside it, arrives whole and in order, with
//! no read past a stop (`bytes_read` always equals what the callback was given); a
//! zero-length buffer fails with ENOBUFS, as libuv's read does; a destroy from the callback
//! ends the callbacks.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, ConnectOptions, OnRead, Socket, SocketOptions, events::*};

/// Byte `i` of the test pattern (251 is prime, so shifts and repeats show).
fn pattern(i: usize) -> u8 {
    (i % 251) as u8
}

/// A server on 127.0.0.1 that sends `data` then ends, closing after one connection;
/// `on_listen(port)` once listening.
fn serve(data: Vec<u8>, on_listen: impl FnOnce(u16) + 'static) {
    let server = net::create_server();
    let data = RefCell::new(Some(data));
    server.on(Connection, move |c| {
        server.close();
        // The server's side may see a reset when the client is destroyed early.
        c.on(Error, |_| {});
        if let Some(d) = data.borrow_mut().take() {
            c.end_with(d);
        }
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        on_listen(port);
    });
    server.listen((0, "127.0.0.1"));
}

fn connect(port: u16, onread: OnRead) -> Socket {
    net::connect(ConnectOptions {
        onread: Some(onread),
        ..(port, "127.0.0.1").into()
    })
}

#[test]
fn a_large_transfer_through_a_small_buffer_with_stops_arrives_whole_and_in_order() {
    const TOTAL: usize = 4 << 20;
    const BUF: usize = 1000;
    let data: Vec<u8> = (0..TOTAL).map(pattern).collect();
    let received = Rc::new(Cell::new(0usize));
    let calls = Rc::new(Cell::new(0usize));
    let stops = Rc::new(Cell::new(0usize));
    let ended = Rc::new(Cell::new(false));
    let closed = Rc::new(Cell::new(false));
    let (r2, c2, st2, e2, cl2) = (
        received.clone(),
        calls.clone(),
        stops.clone(),
        ended.clone(),
        closed.clone(),
    );
    nodenet::run(move || {
        serve(data, move |port| {
            let stopped = Rc::new(Cell::new(false));
            let (received, calls, stops) = (r2.clone(), c2.clone(), st2.clone());
            let onread = OnRead::new(vec![0; BUF], move |s, n, buf| {
                assert!(!stopped.get(), "a callback while stopped");
                assert!(n > 0 && n <= BUF, "read of {n}");
                assert_eq!(buf.len(), BUF);
                let at = received.get();
                for (k, &b) in buf[..n].iter().enumerate() {
                    assert_eq!(b, pattern(at + k), "byte {}", at + k);
                }
                received.set(at + n);
                // Nothing was read past what the callbacks were given.
                assert_eq!(s.bytes_read(), (at + n) as u64);
                calls.set(calls.get() + 1);
                let i = calls.get();
                if i % 97 == 0 {
                    // Stop by returning false; resume from a timer.
                    stops.set(stops.get() + 1);
                    stopped.set(true);
                    let stopped = stopped.clone();
                    nodenet::set_timeout(1, move || {
                        stopped.set(false);
                        s.resume();
                    });
                    return false;
                }
                if i % 131 == 0 {
                    // Stop with pause(); resume from an immediate.
                    stops.set(stops.get() + 1);
                    s.pause();
                    stopped.set(true);
                    let stopped = stopped.clone();
                    nodenet::set_immediate(move || {
                        stopped.set(false);
                        s.resume();
                    });
                }
                true
            });
            let s = connect(port, onread);
            s.on(Data, |_| panic!("data with onread"));
            let (received, ended, closed) = (r2.clone(), e2.clone(), cl2.clone());
            s.on(End, move |_| {
                assert_eq!(received.get(), TOTAL);
                ended.set(true);
            });
            s.on(Close, move |had_error| {
                assert!(!had_error);
                closed.set(true);
            });
        });
    })
    .unwrap();
    assert_eq!(received.get(), TOTAL);
    assert!(ended.get() && closed.get());
    // Reads never exceed the buffer: at least TOTAL / BUF callbacks.
    assert!(calls.get() >= TOTAL / BUF, "{} calls", calls.get());
    assert!(stops.get() >= 40, "{} stops", stops.get());
}

#[test]
fn a_zero_length_buffer_fails_the_read_with_enobufs() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let s2 = seen.clone();
    nodenet::run(move || {
        serve(b"hello".to_vec(), move |port| {
            let s = connect(port, OnRead::new(Vec::new(), |_, _, _| panic!("called")));
            let (a, b) = (s2.clone(), s2.clone());
            s.on(Error, move |e| {
                a.borrow_mut()
                    .push(format!("error {} {}", e.code(), e.syscall().unwrap_or("")))
            });
            s.on(Close, move |had_error| {
                b.borrow_mut().push(format!("close {had_error}"))
            });
        });
    })
    .unwrap();
    assert_eq!(*seen.borrow(), ["error ENOBUFS read", "close true"]);
}

#[test]
fn a_destroy_in_the_callback_ends_the_callbacks() {
    let calls = Rc::new(Cell::new(0));
    let closed = Rc::new(Cell::new(false));
    let (c2, cl2) = (calls.clone(), closed.clone());
    nodenet::run(move || {
        serve(vec![7; 64 * 1024], move |port| {
            let calls = c2.clone();
            // Through `new Socket({ onread })` then `connect()` this time.
            let s = Socket::new(SocketOptions {
                onread: Some(OnRead::new(vec![0; 16], move |s, _, _| {
                    calls.set(calls.get() + 1);
                    s.destroy();
                    true
                })),
                ..SocketOptions::default()
            })
            .connect((port, "127.0.0.1"));
            let closed = cl2.clone();
            s.on(Close, move |_| closed.set(true));
        });
    })
    .unwrap();
    assert_eq!(calls.get(), 1);
    assert!(closed.get());
}
