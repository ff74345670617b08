//! The `onread` option end to end: a large transfer through a small buffer, stopped often
//! by the callback's `false` and by `pause()` inside it, arrives whole and in order, with
//! no read past a stop (`bytes_read` always equals what the callback was given); a
//! zero-length buffer fails with ENOBUFS, as libuv's read does; a destroy from the callback
//! ends the callbacks. The function form (`OnRead::with_buffer_fn`): the function is asked
//! once when the handle is made and once after every callback (stops and destroys
//! included), each read fits the buffer made for it and hands that very buffer over, and
//! an empty one fails with ENOBUFS.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{
    self, BoundSocket, BoundSocketOptions, ConnectOptions, OnRead, Socket, SocketOptions, events::*,
};

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

/// Records what the function form did: the buffers made (their addresses and lengths)
/// and the callbacks' counts.
#[derive(Default)]
struct Made {
    /// Address and length of each buffer the function made, in order.
    bufs: RefCell<Vec<(usize, usize)>>,
    /// Callbacks so far.
    calls: Cell<usize>,
}

impl Made {
    fn makes(&self) -> usize {
        self.bufs.borrow().len()
    }

    /// A buffer of `len` bytes, recorded.
    fn make(&self, len: usize) -> Vec<u8> {
        let b = vec![0; len];
        self.bufs.borrow_mut().push((b.as_ptr() as usize, len));
        b
    }

    /// Check that callback number `calls` (from 0) got the buffer made just before it,
    /// whole (the same allocation, the same length), and count it.
    fn check_given(&self, n: usize, buf: &[u8]) {
        let k = self.calls.get();
        let (ptr, len) = self.bufs.borrow()[k];
        assert_eq!(
            buf.as_ptr() as usize,
            ptr,
            "callback {k} got another buffer"
        );
        assert_eq!(buf.len(), len, "callback {k}: the buffer's length changed");
        assert!(n > 0 && n <= len, "callback {k}: read of {n} into {len}");
        self.calls.set(k + 1);
    }
}

/// An `onread` whose function makes `size`-byte buffers recorded in `made`, and whose
/// callback checks each buffer against them and keeps the bytes in `got`.
fn recording(made: &Rc<Made>, got: &Rc<RefCell<Vec<u8>>>, size: usize) -> OnRead {
    let (mk, mc, got) = (made.clone(), made.clone(), got.clone());
    OnRead::with_buffer_fn(
        move || mk.make(size),
        move |_, n, buf| {
            mc.check_given(n, &buf);
            got.borrow_mut().extend_from_slice(&buf[..n]);
            true
        },
    )
}

#[test]
fn the_buffer_fn_form_reports_itself() {
    let o = OnRead::with_buffer_fn(|| vec![0; 4], |_, _, _| true);
    assert!(o.has_buffer_fn());
    assert_eq!(o.len(), 0);
    assert!(o.is_empty());
    assert!(format!("{o:?}").contains("buffer_fn: true"));
    let s = OnRead::new(vec![0; 4], |_, _, _| true);
    assert!(!s.has_buffer_fn());
    assert_eq!(s.len(), 4);
}

#[test]
fn the_buffer_fn_is_asked_when_connect_makes_the_handle_and_after_every_callback() {
    let made = Rc::new(Made::default());
    let got = Rc::new(RefCell::new(Vec::new()));
    let trace = Rc::new(RefCell::new(Vec::new()));
    let (m2, g2, t2) = (made.clone(), got.clone(), trace.clone());
    nodenet::run(move || {
        serve(b"hello world".to_vec(), move |port| {
            let (mk, mc, got) = (m2.clone(), m2.clone(), g2.clone());
            let onread = OnRead::with_buffer_fn(
                move || mk.make(2),
                move |s, n, buf| {
                    mc.check_given(n, &buf);
                    got.borrow_mut().extend_from_slice(&buf[..n]);
                    assert_eq!(s.bytes_read(), got.borrow().len() as u64);
                    true
                },
            );
            let s = Socket::new(SocketOptions {
                onread: Some(onread),
                ..SocketOptions::default()
            });
            // No handle yet: not asked.
            t2.borrow_mut().push(format!("new {}", m2.makes()));
            s.connect((port, "127.0.0.1"));
            // Asked in connect(), before it returns.
            t2.borrow_mut().push(format!("connect {}", m2.makes()));
            let (m3, t3) = (m2.clone(), t2.clone());
            s.on(End, move |_| {
                t3.borrow_mut()
                    .push(format!("end {} {}", m3.makes(), m3.calls.get()))
            });
            let (m4, t4) = (m2.clone(), t2.clone());
            s.on(Close, move |had_error| {
                t4.borrow_mut()
                    .push(format!("close {had_error} {}", m4.makes()))
            });
        });
    })
    .unwrap();
    assert_eq!(&got.borrow()[..], b"hello world");
    // 11 bytes in 2-byte buffers: 6 callbacks, 7 buffers (Node's own test counts 7).
    assert_eq!(
        *trace.borrow(),
        ["new 0", "connect 1", "end 7 6", "close false 7"]
    );
}

#[test]
fn many_reads_through_buffers_of_changing_sizes_arrive_whole_and_in_order() {
    const TOTAL: usize = 2 << 20;
    /// The length of buffer `k`: 1 to 1500 bytes, in no simple order.
    fn size(k: usize) -> usize {
        (k * 7919) % 1500 + 1
    }
    let data: Vec<u8> = (0..TOTAL).map(pattern).collect();
    let made = Rc::new(Made::default());
    let received = Rc::new(Cell::new(0usize));
    let stops = Rc::new(Cell::new(0usize));
    let done = Rc::new(Cell::new(false));
    let (m2, r2, st2, d2) = (made.clone(), received.clone(), stops.clone(), done.clone());
    nodenet::run(move || {
        serve(data, move |port| {
            // Buffers go round: the callback hands each back, the function reuses it.
            let pool: Rc<RefCell<Vec<Vec<u8>>>> = Rc::default();
            let (take, give) = (pool.clone(), pool.clone());
            let (mk, mc) = (m2.clone(), m2.clone());
            let (received, stops) = (r2.clone(), st2.clone());
            let stopped = Rc::new(Cell::new(false));
            let onread = OnRead::with_buffer_fn(
                move || {
                    let len = size(mk.makes());
                    let mut b = take.borrow_mut().pop().unwrap_or_default();
                    b.resize(len, 0);
                    mk.bufs.borrow_mut().push((b.as_ptr() as usize, len));
                    b
                },
                move |s, n, buf| {
                    assert!(!stopped.get(), "a callback while stopped");
                    mc.check_given(n, &buf);
                    let at = received.get();
                    for (k, &b) in buf[..n].iter().enumerate() {
                        assert_eq!(b, pattern(at + k), "byte {}", at + k);
                    }
                    received.set(at + n);
                    assert_eq!(s.bytes_read(), (at + n) as u64);
                    give.borrow_mut().push(buf);
                    if mc.calls.get() % 89 == 0 {
                        stops.set(stops.get() + 1);
                        stopped.set(true);
                        let stopped = stopped.clone();
                        nodenet::set_timeout(1, move || {
                            stopped.set(false);
                            s.resume();
                        });
                        return false;
                    }
                    true
                },
            );
            let s = connect(port, onread);
            s.on(Data, |_| panic!("data with onread"));
            let (m3, d3) = (m2.clone(), d2.clone());
            s.on(Close, move |had_error| {
                assert!(!had_error);
                // One buffer at connect, one after each callback.
                assert_eq!(m3.makes(), m3.calls.get() + 1);
                d3.set(true);
            });
        });
    })
    .unwrap();
    assert!(done.get());
    assert_eq!(received.get(), TOTAL);
    assert!(stops.get() >= 10, "{} stops", stops.get());
}

/// Connect with buffers of `sizes` (the last repeated) from the function; what happened.
fn empty_run(sizes: &'static [usize]) -> (Vec<String>, usize) {
    let made = Rc::new(Made::default());
    let seen = Rc::new(RefCell::new(Vec::new()));
    let (m2, s2) = (made.clone(), seen.clone());
    nodenet::run(move || {
        serve(b"hello world".to_vec(), move |port| {
            let (mk, mc, seen) = (m2.clone(), m2.clone(), s2.clone());
            let onread = OnRead::with_buffer_fn(
                move || mk.make(sizes[mk.makes().min(sizes.len() - 1)]),
                move |_, n, buf| {
                    mc.check_given(n, &buf);
                    seen.borrow_mut().push(format!("cb {n}"));
                    true
                },
            );
            let s = connect(port, onread);
            let (a, b, c) = (s2.clone(), s2.clone(), s2.clone());
            s.on(Error, move |e| {
                a.borrow_mut()
                    .push(format!("error {} {}", e.code(), e.syscall().unwrap_or("")))
            });
            s.on(End, move |_| b.borrow_mut().push("end".into()));
            s.on(Close, move |had_error| {
                c.borrow_mut().push(format!("close {had_error}"))
            });
        });
    })
    .unwrap();
    let seen = seen.borrow().clone();
    (seen, made.makes())
}

#[test]
fn an_empty_buffer_from_the_fn_fails_its_read_with_enobufs() {
    let (seen, makes) = empty_run(&[0]);
    assert_eq!(seen, ["error ENOBUFS read", "close true"]);
    assert_eq!(makes, 1);
    // A good buffer first, then an empty one: one callback, then the error; no `end`.
    let (seen, makes) = empty_run(&[4, 0]);
    assert_eq!(seen, ["cb 4", "error ENOBUFS read", "close true"]);
    assert_eq!(makes, 2);
}

#[test]
fn a_false_from_the_callback_stops_the_reads_and_the_fn_is_still_asked() {
    let made = Rc::new(Made::default());
    let got = Rc::new(RefCell::new(Vec::new()));
    let checked = Rc::new(Cell::new(false));
    let (m2, g2, ch2) = (made.clone(), got.clone(), checked.clone());
    nodenet::run(move || {
        serve(b"hello world".to_vec(), move |port| {
            let (mk, mc, got, checked) = (m2.clone(), m2.clone(), g2.clone(), ch2.clone());
            let onread = OnRead::with_buffer_fn(
                move || mk.make(4),
                move |s, n, buf| {
                    mc.check_given(n, &buf);
                    got.borrow_mut().extend_from_slice(&buf[..n]);
                    if mc.calls.get() != 1 {
                        return true;
                    }
                    let (m, checked) = (mc.clone(), checked.clone());
                    nodenet::set_timeout(30, move || {
                        // Stopped: no read since, and the next buffer already made.
                        assert_eq!((m.calls.get(), m.makes()), (1, 2));
                        assert_eq!(s.bytes_read(), 4);
                        assert!(!s.is_paused());
                        checked.set(true);
                        s.resume();
                    });
                    false
                },
            );
            let s = connect(port, onread);
            let m3 = m2.clone();
            s.on(End, move |_| {
                assert_eq!((m3.calls.get(), m3.makes()), (3, 4))
            });
        });
    })
    .unwrap();
    assert!(checked.get());
    assert_eq!(&got.borrow()[..], b"hello world");
}

#[test]
fn a_destroy_in_the_callback_still_asks_the_fn_once_more() {
    let made = Rc::new(Made::default());
    let closed = Rc::new(Cell::new(false));
    let (m2, cl2) = (made.clone(), closed.clone());
    nodenet::run(move || {
        serve(vec![7; 64 * 1024], move |port| {
            let (mk, mc) = (m2.clone(), m2.clone());
            let onread = OnRead::with_buffer_fn(
                move || mk.make(16),
                move |s, n, buf| {
                    mc.check_given(n, &buf);
                    s.destroy();
                    true
                },
            );
            let s = connect(port, onread);
            let closed = cl2.clone();
            s.on(Close, move |had_error| {
                assert!(!had_error);
                closed.set(true)
            });
        });
    })
    .unwrap();
    assert!(closed.get());
    assert_eq!((made.calls.get(), made.makes()), (1, 2));
}

#[test]
fn from_fd_and_from_bound_ask_the_fn_at_once() {
    use std::io::Write;
    // From a descriptor: the handle is made with the socket.
    let (ours, mut theirs) = std::os::unix::net::UnixStream::pair().expect("socketpair");
    theirs.write_all(b"hello world").expect("write");
    theirs
        .shutdown(std::net::Shutdown::Write)
        .expect("shutdown");
    let made = Rc::new(Made::default());
    let got = Rc::new(RefCell::new(Vec::new()));
    let (m2, g2) = (made.clone(), got.clone());
    nodenet::run(move || {
        let onread = recording(&m2, &g2, 3);
        let _s = Socket::from_fd(
            ours,
            SocketOptions {
                onread: Some(onread),
                ..SocketOptions::default()
            },
        )
        .expect("a stream socket");
        assert_eq!(m2.makes(), 1);
    })
    .unwrap();
    drop(theirs);
    assert_eq!(&got.borrow()[..], b"hello world");
    // 11 bytes in 3-byte buffers: 4 callbacks, 5 buffers.
    assert_eq!((made.calls.get(), made.makes()), (4, 5));

    // From a bound socket: asked when adopted, not again at connect().
    let made = Rc::new(Made::default());
    let got = Rc::new(RefCell::new(Vec::new()));
    let (m2, g2) = (made.clone(), got.clone());
    nodenet::run(move || {
        let bound =
            BoundSocket::new(BoundSocketOptions::default().host("127.0.0.1")).expect("bind");
        let onread = recording(&m2, &g2, 64);
        let s = Socket::from_bound(
            &bound,
            SocketOptions {
                onread: Some(onread),
                ..SocketOptions::default()
            },
        )
        .expect("adopt");
        assert_eq!(m2.makes(), 1);
        let m3 = m2.clone();
        serve(b"hello world".to_vec(), move |port| {
            s.connect((port, "127.0.0.1"));
            assert_eq!(m3.makes(), 1);
        });
    })
    .unwrap();
    assert_eq!(&got.borrow()[..], b"hello world");
    assert_eq!(made.makes(), made.calls.get() + 1);
}

/// Node makes the handle in `connect()` before it checks the address options: a connect
/// refused for them has already asked the function, once (measured on Node 24: a bad
/// `localAddress`, then a 0 attempt timeout on the same socket, made one buffer); the
/// connect that then goes through uses that handle, and asks again only after its
/// callbacks.
#[test]
fn a_connect_refused_for_its_options_has_asked_the_fn_once() {
    let made = Rc::new(Made::default());
    let got = Rc::new(RefCell::new(Vec::new()));
    let (m2, g2) = (made.clone(), got.clone());
    nodenet::run(move || {
        let onread = recording(&m2, &g2, 64);
        let s = Socket::new(SocketOptions {
            onread: Some(onread),
            ..SocketOptions::default()
        });
        assert_eq!(m2.makes(), 0);
        let m3 = m2.clone();
        serve(b"hello world".to_vec(), move |port| {
            let bad = s.try_connect(ConnectOptions {
                local_address: Some("nope".into()),
                ..(port, "127.0.0.1").into()
            });
            assert_eq!(
                bad.err().map(|e| e.code().to_string()).as_deref(),
                Some("ERR_INVALID_IP_ADDRESS")
            );
            assert_eq!(m3.makes(), 1);
            let bad = s.try_connect(ConnectOptions {
                auto_select_family_attempt_timeout: 0,
                ..(port, "127.0.0.1").into()
            });
            assert_eq!(
                bad.err().map(|e| e.code().to_string()).as_deref(),
                Some("ERR_OUT_OF_RANGE")
            );
            assert_eq!(m3.makes(), 1);
            s.connect((port, "127.0.0.1"));
            assert_eq!(m3.makes(), 1);
        });
    })
    .unwrap();
    assert_eq!(&got.borrow()[..], b"hello world");
    assert_eq!(made.makes(), made.calls.get() + 1);
}
