//! The byte stream end to end, on one loop: a reader that never reads (the sender stalls,
//! nothing is lost once it reads), one that pauses and resumes, a peer that resets in the
//! middle of a transfer, a write to a peer that is gone (an error, never SIGPIPE),
//! decoding through a socket for any split of the input, and a source piped into two
//! sockets that waits for the slower one's `drain`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use bytes::Bytes;
use nodenet::encoding::{self, Encoding};
use nodenet::net::{self, ConnectOptions, ListenOptions, Server, ServerOptions, Socket, events::*};

/// A server on 127.0.0.1 and an OS-chosen port; `on_listen(server, port)` once listening.
fn serve(
    opts: ServerOptions,
    on_conn: impl FnMut(Socket) + 'static,
    on_listen: impl FnOnce(Server, u16) + 'static,
) {
    let server = net::create_server_with(opts);
    server.on(Connection, on_conn);
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        on_listen(server, port);
    });
    server.listen((0, "127.0.0.1"));
}

/// Call `then` once `cond` holds, checking every 2 ms.
fn wait_until(cond: impl Fn() -> bool + 'static, then: impl FnOnce() + 'static) {
    if cond() {
        then();
    } else {
        nodenet::set_timeout(2, move || wait_until(cond, then));
    }
}

/// Byte `i` of the test pattern (251 is prime, so shifts and repeats show).
fn pattern(i: usize) -> u8 {
    (i % 251) as u8
}

fn patterned(start: usize, len: usize) -> Bytes {
    (start..start + len)
        .map(pattern)
        .collect::<Vec<u8>>()
        .into()
}

/// The client of an upload test: connects to `port`, writes `total` patterned bytes in
/// writes of `piece`, ends, and closes `server` once its socket has closed.
fn upload(server: Server, port: u16, total: usize, piece: usize) {
    let c = net::connect((port, "127.0.0.1"));
    c.on(Connect, move |_| {
        for at in (0..total).step_by(piece) {
            c.write(patterned(at, piece));
        }
        c.end();
    });
    c.on(Close, move |_| {
        server.close();
    });
}

/// Checks received bytes against the pattern, in order.
#[derive(Default)]
struct Receiver {
    got: Cell<usize>,
    in_order: Cell<bool>,
}

impl Receiver {
    fn new() -> Rc<Receiver> {
        Rc::new(Receiver {
            got: Cell::new(0),
            in_order: Cell::new(true),
        })
    }
    fn take(&self, data: &[u8]) {
        let base = self.got.get();
        if data
            .iter()
            .enumerate()
            .any(|(i, &b)| b != pattern(base + i))
        {
            self.in_order.set(false);
        }
        self.got.set(base + data.len());
    }
}

#[test]
fn a_socket_that_never_reads_stalls_the_sender_and_loses_nothing_once_it_reads() {
    const CHUNK: usize = 256 * 1024;
    let report: Rc<RefCell<Vec<String>>> = Rc::default();
    let sent = Rc::new(Cell::new(0usize));
    let rx = Receiver::new();
    let (r, s2, rx2) = (report.clone(), sent.clone(), rx.clone());
    nodenet::run(move || {
        let accepted: Rc<Cell<Option<Socket>>> = Rc::default();
        let acc = accepted.clone();
        serve(
            ServerOptions::default(),
            move |s| acc.set(Some(s)),
            move |server, port| {
                let c = net::connect((port, "127.0.0.1"));
                let (r1, sent, rx) = (r.clone(), s2.clone(), rx2.clone());
                let accepted = accepted.clone();
                c.on(Connect, move |_| {
                    let r = r1.clone();
                    // Fill everything: the reader's buffer, both kernels, then our queue.
                    loop {
                        let more = c.write(patterned(sent.get(), CHUNK));
                        sent.set(sent.get() + CHUNK);
                        if !more {
                            break;
                        }
                    }
                    let (acc, r, sent, rx) = (accepted.clone(), r.clone(), sent.clone(), rx.clone());
                    let accepted = accepted.clone();
                    wait_until(
                        move || acc.get().is_some_and(|s| s.bytes_read() > 0),
                        move || {
                            let s = accepted.get().expect("accepted");
                            let (read_before, queued_before) = (s.bytes_read(), c.writable_length());
                            nodenet::set_timeout(60, move || {
                                r.borrow_mut().push(format!(
                                    "stalled: reader bytesRead unchanged {}, reader buffered <= 64 KiB {}, sender queue unchanged {}",
                                    s.bytes_read() == read_before,
                                    s.readable_length() <= 64 * 1024,
                                    c.writable_length() == queued_before && queued_before > 0
                                ));
                                let rx2 = rx.clone();
                                s.on(Data, move |d| rx2.take(d.as_bytes()));
                                let (r2, sent2, rx3) = (r.clone(), sent.clone(), rx.clone());
                                s.on(End, move |_| {
                                    r2.borrow_mut().push(format!(
                                        "reader end: got {} of {}",
                                        rx3.got.get(),
                                        sent2.get()
                                    ));
                                    server.close();
                                });
                            });
                        },
                    );
                });
                let r2 = r.clone();
                c.on(Drain, move |_| {
                    r2.borrow_mut().push("sender drain".into());
                    c.end();
                });
            },
        );
    })
    .expect("loop ends cleanly");
    let report = report.borrow();
    assert_eq!(
        report[0],
        "stalled: reader bytesRead unchanged true, reader buffered <= 64 KiB true, sender queue unchanged true"
    );
    assert!(report.contains(&"sender drain".to_string()), "{report:?}");
    assert_eq!(rx.got.get(), sent.get());
    assert!(rx.in_order.get(), "bytes out of order");
}

#[test]
fn a_socket_that_pauses_and_resumes_gets_every_byte_in_order_and_none_while_paused() {
    const TOTAL: usize = 4 << 20;
    let rx = Receiver::new();
    let pauses = Rc::new(Cell::new(0usize));
    let data_while_paused = Rc::new(Cell::new(0usize));
    let ended_with = Rc::new(Cell::new(None::<usize>));
    let (rx2, p2, dwp2, e2) = (
        rx.clone(),
        pauses.clone(),
        data_while_paused.clone(),
        ended_with.clone(),
    );
    nodenet::run(move || {
        serve(
            ServerOptions::default(),
            |s| {
                let mut off = 0;
                while off < TOTAL {
                    s.write(patterned(off, 64 * 1024));
                    off += 64 * 1024;
                }
                s.end();
            },
            move |server, port| {
                let c = net::connect((port, "127.0.0.1"));
                let paused = Rc::new(Cell::new(false));
                let next_pause = Rc::new(Cell::new(512 * 1024));
                let (rx, pauses, dwp, paused2) =
                    (rx2.clone(), p2.clone(), dwp2.clone(), paused.clone());
                c.on(Data, move |d| {
                    if paused2.get() {
                        dwp.set(dwp.get() + 1);
                    }
                    rx.take(d.as_bytes());
                    if rx.got.get() >= next_pause.get() {
                        next_pause.set(next_pause.get() + 512 * 1024);
                        pauses.set(pauses.get() + 1);
                        c.pause();
                        paused2.set(true);
                        let paused3 = paused2.clone();
                        nodenet::set_timeout(5, move || {
                            paused3.set(false);
                            c.resume();
                        });
                    }
                });
                let rx = rx2.clone();
                c.on(End, move |_| e2.set(Some(rx.got.get())));
                c.on(Close, move |_| {
                    server.close();
                });
            },
        );
    })
    .expect("loop ends cleanly");
    assert_eq!(ended_with.get(), Some(TOTAL), "end after every byte");
    assert!(rx.in_order.get(), "bytes out of order");
    assert!(pauses.get() >= 7, "paused {} times", pauses.get());
    assert_eq!(data_while_paused.get(), 0, "data while paused");
}

#[test]
fn a_peer_reset_mid_transfer_calls_each_write_callback_once_in_order_then_error_then_close_true() {
    const CHUNKS: usize = 24;
    let events: Rc<RefCell<Vec<String>>> = Rc::default();
    let ev = events.clone();
    nodenet::run(move || {
        let ev2 = ev.clone();
        serve(
            ServerOptions::default(),
            move |s| {
                for i in 0..CHUNKS {
                    let ev = ev2.clone();
                    s.write_cb(patterned(0, 1 << 20), move |e| {
                        ev.borrow_mut().push(match e {
                            None => format!("cb {i} ok"),
                            Some(e) => format!("cb {i} {}", e.code()),
                        })
                    });
                }
                let ev = ev2.clone();
                s.on(Error, move |e| {
                    ev.borrow_mut().push(format!("error {}", e.code()))
                });
                let ev = ev2.clone();
                s.on(Close, move |had_error| {
                    ev.borrow_mut().push(format!("close {had_error}"))
                });
            },
            move |server, port| {
                let c = net::connect((port, "127.0.0.1"));
                let got = Rc::new(Cell::new(0usize));
                c.on(Data, move |d| {
                    got.set(got.get() + d.len());
                    if got.get() >= 1 << 20 && !c.destroyed() {
                        c.reset_and_destroy();
                    }
                });
                c.on(Close, move |_| {
                    server.close();
                });
            },
        );
    })
    .expect("loop ends cleanly");
    let events = events.borrow();
    let cbs: Vec<usize> = events
        .iter()
        .filter_map(|e| e.strip_prefix("cb ")?.split(' ').next()?.parse().ok())
        .collect();
    assert_eq!(cbs, (0..CHUNKS).collect::<Vec<_>>(), "{events:?}");
    let errors: Vec<&String> = events.iter().filter(|e| e.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{events:?}");
    assert!(
        errors[0] == "error ECONNRESET" || errors[0] == "error EPIPE",
        "{events:?}"
    );
    assert_eq!(events.last().map(String::as_str), Some("close true"));
    let error_at = events.iter().position(|e| e.starts_with("error")).unwrap();
    assert!(error_at < events.len() - 1);
    assert!(
        events
            .iter()
            .any(|e| e.starts_with("cb ") && !e.ends_with(" ok")),
        "some write must fail: {events:?}"
    );
    // A write that failed carries the error; none succeeds after one failed.
    let first_fail = events
        .iter()
        .position(|e| e.starts_with("cb ") && !e.ends_with(" ok"))
        .unwrap();
    assert!(
        !events[first_fail..].iter().any(|e| e.ends_with(" ok")),
        "{events:?}"
    );
}

#[test]
fn a_write_to_a_peer_that_is_gone_fails_with_epipe_or_econnreset_and_never_raises_sigpipe() {
    // Rust ignores SIGPIPE at startup; put the default (terminate) back, as a C program or
    // a Node addon host would have it, so a raised SIGPIPE would kill this test.
    // SAFETY: setting a signal disposition to SIG_DFL has no memory-safety requirements.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let errors: Rc<RefCell<Vec<String>>> = Rc::default();
    let errs = errors.clone();
    nodenet::run(move || {
        serve(
            ServerOptions::default(),
            |s| {
                s.destroy();
            },
            move |server, port| {
                let c = net::connect(ConnectOptions {
                    allow_half_open: true,
                    ..(port, "127.0.0.1").into()
                });
                c.resume();
                let errs2 = errs.clone();
                c.on(End, move |_| {
                    // Keep writing until the kernel reports the peer gone.
                    fn again(c: Socket, n: usize, errs: Rc<RefCell<Vec<String>>>) {
                        if c.destroyed() || n > 200 {
                            return;
                        }
                        let e2 = errs.clone();
                        c.write_cb(vec![1u8; 1024], move |e| {
                            if let Some(e) = e {
                                e2.borrow_mut().push(format!("cb {}", e.code()));
                            }
                        });
                        nodenet::set_timeout(2, move || again(c, n + 1, errs));
                    }
                    again(c, 0, errs2.clone());
                });
                let errs3 = errs.clone();
                c.on(Error, move |e| {
                    errs3.borrow_mut().push(format!("error {}", e.code()))
                });
                c.on(Close, move |_| {
                    server.close();
                });
            },
        );
    })
    .expect("loop ends cleanly");
    let errors = errors.borrow();
    assert!(
        errors
            .iter()
            .any(|e| e == "error EPIPE" || e == "error ECONNRESET"),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.starts_with("cb E")),
        "a write callback gets the error: {errors:?}"
    );
}

/// Send `pieces` to `reader` one at a time, each once the previous one was read.
fn lockstep(writer: Socket, reader: Socket, mut pieces: Vec<Vec<u8>>, then: Box<dyn FnOnce()>) {
    if pieces.is_empty() {
        then();
        return;
    }
    let p = pieces.remove(0);
    let want = reader.bytes_read() + p.len() as u64;
    writer.write(p);
    wait_until(
        move || reader.bytes_read() >= want,
        move || lockstep(writer, reader, pieces, then),
    );
}

/// Decode `bytes`, cut at `cuts`, through a socket with `set_encoding(enc)`.
fn decode_through_a_socket(enc: Encoding, bytes: &[u8], cuts: &[usize]) -> String {
    let mut pieces = Vec::new();
    let mut last = 0;
    for &c in cuts {
        if c > last && c < bytes.len() {
            pieces.push(bytes[last..c].to_vec());
            last = c;
        }
    }
    pieces.push(bytes[last..].to_vec());
    pieces.retain(|p| !p.is_empty());
    let text = Rc::new(RefCell::new(String::new()));
    let t = text.clone();
    nodenet::run(move || {
        let accepted: Rc<Cell<Option<Socket>>> = Rc::default();
        let acc = accepted.clone();
        serve(
            ServerOptions::default(),
            move |s| acc.set(Some(s)),
            move |server, port| {
                let c = net::connect((port, "127.0.0.1"));
                c.set_encoding(enc);
                let t2 = t.clone();
                c.on(Data, move |d| {
                    t2.borrow_mut().push_str(d.as_str().expect("text"))
                });
                c.on(Close, move |_| {
                    server.close();
                });
                let acc = accepted.clone();
                wait_until(
                    move || acc.get().is_some(),
                    move || {
                        let s = accepted.get().expect("accepted");
                        lockstep(
                            s,
                            c,
                            pieces,
                            Box::new(move || {
                                s.end();
                            }),
                        );
                    },
                );
            },
        );
    })
    .expect("loop ends cleanly");
    text.take()
}

mod decoding {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// For every encoding and any split of the input into chunks, the `data` strings
        /// joined equal the one-shot decode (U+FFFD for what does not decode, the flush at
        /// the FIN included).
        #[test]
        fn decoded_chunks_joined_equal_the_one_shot_decode_for_any_split(
            enc in proptest::sample::select(Encoding::ALL.to_vec()),
            bytes in proptest::collection::vec(
                prop_oneof![any::<u8>(), Just(0xd8u8), Just(0xdcu8), Just(0xe2u8), Just(0x82u8)],
                1..48,
            ),
            mut cuts in proptest::collection::vec(0usize..48, 0..6),
        ) {
            cuts.sort_unstable();
            let joined = decode_through_a_socket(enc, &bytes, &cuts);
            prop_assert_eq!(joined, encoding::decode(&bytes, enc));
        }
    }
}

/// Small reads are cut from blocks shared by many chunks (`rt::readbuf`): chunks a user
/// keeps stay intact while later reads fill new blocks.
#[test]
fn small_chunks_kept_by_the_user_stay_intact_while_later_reads_fill_new_blocks() {
    const PIECE: usize = 100;
    const PIECES: usize = 2000;
    let kept: Rc<RefCell<Vec<Bytes>>> = Rc::default();
    let k = kept.clone();
    nodenet::run(move || {
        let client: Rc<Cell<Option<Socket>>> = Rc::default();
        let sent = Rc::new(Cell::new(0usize));
        let (cl, sent2) = (client.clone(), sent.clone());
        // Each piece is written once the server has read the previous one, so that every
        // read is small.
        let send_next = Rc::new(move || {
            if let Some(c) = cl.get() {
                let n = sent2.get();
                if n < PIECES {
                    c.write(patterned(n * PIECE, PIECE));
                    sent2.set(n + 1);
                } else {
                    c.end();
                }
            }
        });
        let sn = send_next.clone();
        serve(
            ServerOptions::default(),
            move |s| {
                let (k, sn) = (k.clone(), sn.clone());
                s.on(Data, move |chunk| {
                    let b = match chunk {
                        net::Chunk::Bytes(b) => b,
                        net::Chunk::Str(s) => Bytes::from(s),
                    };
                    let total: usize = k.borrow().iter().map(|c| c.len()).sum();
                    k.borrow_mut().push(b);
                    let now: usize = total + k.borrow().last().map_or(0, |c| c.len());
                    if now.is_multiple_of(PIECE) {
                        sn();
                    }
                });
            },
            move |server, port| {
                let c = net::connect((port, "127.0.0.1"));
                client.set(Some(c));
                let sn = send_next.clone();
                c.on(Connect, move |_| sn());
                c.on(Close, move |_| {
                    server.close();
                });
            },
        );
    })
    .expect("loop ends cleanly");
    let kept = kept.borrow();
    let all: Vec<u8> = kept.iter().flat_map(|c| c.iter().copied()).collect();
    assert_eq!(all.len(), PIECE * PIECES);
    assert!(
        all.iter().enumerate().all(|(i, &b)| b == pattern(i)),
        "a kept chunk changed"
    );
    // Most reads were small, so the shared blocks were used and replaced many times.
    assert!(kept.len() > PIECES / 2, "only {} reads", kept.len());
}

#[test]
fn data_and_fin_that_arrive_before_the_accept_are_delivered_once_read() {
    // The clients connect, send and end while the loop is blocked, so everything is in the
    // kernel before the server accepts: the new registration must report it (no
    // synthetic readiness is added for an accepted socket).
    const CLIENTS: usize = 20;
    let got: Rc<RefCell<Vec<String>>> = Rc::default();
    let g = got.clone();
    nodenet::run(move || {
        // A registration that did not report the waiting data would hang: fail instead.
        nodenet::set_timeout(10_000, || panic!("the early data never arrived")).unref();
        let ends = Rc::new(Cell::new(0));
        serve(
            ServerOptions::default(),
            move |socket| {
                let g = g.clone();
                let ends = ends.clone();
                socket.set_encoding(Encoding::Utf8);
                let text = Rc::new(RefCell::new(String::new()));
                let t = text.clone();
                socket.on(Data, move |c| t.borrow_mut().push_str(&c.to_string()));
                socket.on(End, move |_| {
                    g.borrow_mut().push(text.borrow().clone());
                    ends.set(ends.get() + 1);
                    if ends.get() == CLIENTS {
                        socket.server().map(|s| s.close());
                    }
                });
            },
            move |_server, port| {
                let senders: Vec<_> = (0..CLIENTS)
                    .map(|i| {
                        std::thread::spawn(move || {
                            use std::io::Write;
                            let mut s =
                                std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
                            s.write_all(format!("hello {i}").as_bytes()).expect("write");
                            s.shutdown(std::net::Shutdown::Write).expect("shutdown");
                            s
                        })
                    })
                    .collect();
                // Blocks the loop until every client has sent and ended.
                let streams: Vec<_> = senders.into_iter().map(|h| h.join()).collect();
                std::thread::sleep(std::time::Duration::from_millis(50));
                drop(streams);
            },
        );
    })
    .expect("loop ends cleanly");
    let mut got = got.borrow().clone();
    got.sort();
    let mut want: Vec<String> = (0..CLIENTS).map(|i| format!("hello {i}")).collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn a_string_write_counts_utf16_units_while_queued_and_its_utf8_bytes_as_written() {
    // Node 24, the same scenario: a 4 Mi-character string of 'é' (2 bytes each) to a peer
    // that does not read returns false with writableLength 4194304 (the string's length)
    // and bytesWritten 8388608; a second write of "ab" makes them 4194306 and 8388610. A
    // short string sent whole leaves nothing queued and returns true.
    let got = Rc::new(RefCell::new(Vec::new()));
    let g = got.clone();
    nodenet::run(move || {
        serve(
            ServerOptions::default(),
            |s| {
                s.pause();
                nodenet::set_timeout(300, move || {
                    s.destroy();
                });
            },
            move |server, port| {
                let c = net::connect((port, "127.0.0.1"));
                c.on(Error, |_| {});
                c.once(Connect, move |_| {
                    let mut log = g.borrow_mut();
                    let r = c.write("héllo");
                    log.push((r, c.writable_length(), c.bytes_written()));
                    let r = c.write("é".repeat(4 * 1024 * 1024));
                    log.push((r, c.writable_length(), c.bytes_written()));
                    let r = c.write("ab");
                    log.push((r, c.writable_length(), c.bytes_written()));
                    server.close();
                });
            },
        );
    })
    .expect("run");
    assert_eq!(
        *got.borrow(),
        [
            (true, 0, 6),
            (false, 4_194_304, 6 + 8_388_608),
            (false, 4_194_306, 6 + 8_388_610),
        ]
    );
}

#[test]
fn an_echo_through_a_view_listener_and_write_slice_returns_every_byte_in_order() {
    // 8 MiB in 16 KiB writes of patterned bytes; the server echoes each chunk from the
    // read buffer it borrows (`on_data_view` + `write_slice`), and the client reads the
    // echo only after a pause, so the server's sends go partial, its queue fills and the
    // rest of each lent chunk has to be copied before the buffer is reused.
    const TOTAL: usize = 8 * 1024 * 1024;
    const PIECE: usize = 16 * 1024;
    let rx = Receiver::new();
    let rx2 = rx.clone();
    let server_saw = Rc::new(Cell::new(0usize));
    let saw = server_saw.clone();
    nodenet::run(move || {
        serve(
            ServerOptions::default(),
            move |s| {
                let saw = saw.clone();
                s.on_data_view(move |bytes| {
                    saw.set(saw.get() + bytes.len());
                    s.write_slice(bytes);
                });
            },
            move |server, port| {
                let c = net::connect((port, "127.0.0.1"));
                c.pause();
                let rx = rx2.clone();
                c.on(Data, move |d| rx.take(d.as_bytes()));
                c.on(End, move |_| {
                    server.close();
                });
                c.on(Connect, move |_| {
                    for at in (0..TOTAL).step_by(PIECE) {
                        c.write(patterned(at, PIECE));
                    }
                    c.end();
                    nodenet::set_timeout(100, move || {
                        c.resume();
                    });
                });
            },
        );
    })
    .expect("run");
    assert_eq!(server_saw.get(), TOTAL);
    assert_eq!(rx.got.get(), TOTAL);
    assert!(rx.in_order.get(), "echo out of order or overwritten");
}

#[test]
fn a_bulk_upload_into_a_view_listener_arrives_whole_through_a_pause() {
    // 8 MiB in 1 MiB writes to a server whose only data listener borrows each chunk: its
    // reads are 64 KiB ones, lent where they were read. Halfway it pauses for 50 ms (its
    // reads then buffer owned chunks, which flow to the listener on resume) and goes on.
    const TOTAL: usize = 8 * 1024 * 1024;
    const PIECE: usize = 1024 * 1024;
    let rx = Receiver::new();
    let rx2 = rx.clone();
    let largest = Rc::new(Cell::new(0usize));
    let l2 = largest.clone();
    let paused = Rc::new(Cell::new(false));
    nodenet::run(move || {
        serve(
            ServerOptions::default(),
            move |s| {
                let (rx, largest, paused) = (rx2.clone(), l2.clone(), paused.clone());
                s.on_data_view(move |bytes| {
                    rx.take(bytes);
                    largest.set(largest.get().max(bytes.len()));
                    if rx.got.get() >= TOTAL / 2 && !paused.replace(true) {
                        s.pause();
                        nodenet::set_timeout(50, move || {
                            s.resume();
                        });
                    }
                });
            },
            move |server, port| upload(server, port, TOTAL, PIECE),
        );
    })
    .expect("run");
    assert_eq!(rx.got.get(), TOTAL);
    assert!(rx.in_order.get(), "upload out of order or overwritten");
    assert!(
        largest.get() > 16 * 1024,
        "no large read: {}",
        largest.get()
    );
}

#[test]
fn a_bulk_upload_arrives_whole_as_its_listener_changes_between_borrowed_and_owned() {
    // 12 MiB in 1 MiB writes. The first third goes to a view listener (large reads lent in
    // a row, `Socket::read_kernel`'s lent lane), which then removes itself and adds an
    // owned-chunk listener from inside its call, so the event's next read leaves the lane;
    // after two thirds that one swaps back to a view listener. Every byte arrives once, in
    // order, to the listener of its phase.
    const TOTAL: usize = 12 * 1024 * 1024;
    const PIECE: usize = 1024 * 1024;
    let rx = Receiver::new();
    let rx2 = rx.clone();
    let phases: Rc<RefCell<Vec<(&'static str, usize)>>> = Rc::default();
    let p2 = phases.clone();
    nodenet::run(move || {
        serve(
            ServerOptions::default(),
            move |s| {
                let (rx, phases) = (rx2.clone(), p2.clone());
                let first: Rc<Cell<Option<ListenerId>>> = Rc::default();
                let f2 = first.clone();
                let id = s.on_data_view(move |bytes| {
                    rx.take(bytes);
                    if rx.got.get() < TOTAL / 3 {
                        return;
                    }
                    let Some(id) = f2.take() else {
                        return;
                    };
                    phases.borrow_mut().push(("view", rx.got.get()));
                    s.off(Data, id);
                    let (rx, phases) = (rx.clone(), phases.clone());
                    let owned: Rc<Cell<Option<ListenerId>>> = Rc::default();
                    let o2 = owned.clone();
                    owned.set(Some(s.on(Data, move |chunk| {
                        rx.take(chunk.as_bytes());
                        if rx.got.get() < 2 * TOTAL / 3 {
                            return;
                        }
                        let Some(id) = o2.take() else {
                            return;
                        };
                        phases.borrow_mut().push(("owned", rx.got.get()));
                        s.off(Data, id);
                        let rx = rx.clone();
                        s.on_data_view(move |bytes| rx.take(bytes));
                    })));
                });
                first.set(Some(id));
            },
            move |server, port| upload(server, port, TOTAL, PIECE),
        );
    })
    .expect("run");
    assert_eq!(rx.got.get(), TOTAL);
    assert!(rx.in_order.get(), "upload out of order or overwritten");
    let phases = phases.borrow();
    assert_eq!(phases.len(), 2, "{phases:?}");
    assert!(
        phases[0].0 == "view" && phases[0].1 >= TOTAL / 3,
        "{phases:?}"
    );
    assert!(
        phases[1].0 == "owned" && phases[1].1 >= 2 * TOTAL / 3,
        "{phases:?}"
    );
    assert!(
        phases[1].1 < TOTAL,
        "nothing left for the last view listener: {phases:?}"
    );
}

#[test]
fn a_view_listener_is_a_data_listener_in_order_in_counts_and_for_off() {
    // Beside an owned-chunk listener, added before and after it: each chunk reaches all
    // three in the order they were added; listener_count counts them; after `off` of the
    // first view listener, the others go on. With an encoding, a view gets the decoded
    // text's UTF-8 bytes, a multi-byte character split across writes kept whole. Node 24
    // prints the same trace for this scenario with three `on('data')` listeners.
    let log: Rc<RefCell<Vec<String>>> = Rc::default();
    let l = log.clone();
    nodenet::run(move || {
        serve(
            ServerOptions::default(),
            move |s| {
                s.set_encoding(Encoding::Utf8);
                let (a, b, c) = (l.clone(), l.clone(), l.clone());
                let first = s.on_data_view(move |bytes| {
                    a.borrow_mut()
                        .push(format!("view1 {}", String::from_utf8_lossy(bytes)));
                });
                s.on(Data, move |chunk| {
                    b.borrow_mut()
                        .push(format!("data {}", chunk.as_str().unwrap_or("?")));
                });
                s.on_data_view(move |bytes| {
                    c.borrow_mut()
                        .push(format!("view2 {}", String::from_utf8_lossy(bytes)));
                });
                l.borrow_mut()
                    .push(format!("count {}", s.listener_count(Data)));
                let l = l.clone();
                let mut n = 0;
                s.on(Data, move |_| {
                    n += 1;
                    if n == 1 {
                        s.off(Data, first);
                        l.borrow_mut()
                            .push(format!("count {}", s.listener_count(Data)));
                    }
                });
            },
            move |server, port| {
                let c = net::connect((port, "127.0.0.1"));
                c.on(Connect, move |_| {
                    // "é" is C3 A9: its first byte ends one write, its second starts the next.
                    c.write(&b"caf\xC3"[..]);
                    nodenet::set_timeout(50, move || {
                        c.write(&b"\xA9!"[..]);
                        nodenet::set_timeout(50, move || {
                            c.end();
                        });
                    });
                });
                c.on(Close, move |_| {
                    server.close();
                });
            },
        );
    })
    .expect("run");
    assert_eq!(
        *log.borrow(),
        [
            "count 3",
            "view1 caf",
            "data caf",
            "view2 caf",
            "count 3",
            "data é!",
            "view2 é!",
        ]
    );
}

#[test]
fn a_view_listener_echoes_small_messages_one_at_a_time_from_the_lent_buffer() {
    // Request and response: each message is sent once the previous echo is back, so the
    // server's queue is empty at every read and each chunk is lent from the read buffer,
    // which the next read reuses from the same place. 300 messages of 1 to 3,000 bytes.
    const N: usize = 300;
    let size = |i: usize| 1 + (i * 997) % 3000;
    let rx = Receiver::new();
    let rx2 = rx.clone();
    let total: usize = (0..N).map(size).sum();
    nodenet::run(move || {
        serve(
            ServerOptions::default(),
            |s| {
                s.on_data_view(move |bytes| {
                    s.write_slice(bytes);
                });
            },
            move |server, port| {
                let c = net::connect((port, "127.0.0.1"));
                let next = Rc::new(Cell::new(0usize));
                let sent_upto = Rc::new(Cell::new(0usize));
                let (n2, u2) = (next.clone(), sent_upto.clone());
                let send = Rc::new(move || {
                    let i = n2.get();
                    if i == N {
                        c.end();
                        return;
                    }
                    n2.set(i + 1);
                    c.write(patterned(u2.get(), size(i)));
                    u2.set(u2.get() + size(i));
                });
                let s2 = send.clone();
                c.on(Connect, move |_| s2());
                let rx = rx2.clone();
                c.on(Data, move |d| {
                    rx.take(d.as_bytes());
                    if rx.got.get() == sent_upto.get() {
                        send();
                    }
                });
                c.on(End, move |_| {
                    server.close();
                });
            },
        );
    })
    .expect("run");
    assert_eq!(rx.got.get(), total);
    assert!(rx.in_order.get(), "echo out of order or overwritten");
}

/// A server that writes `total` patterned bytes in 1 MiB blocks, paced by `drain` as Node's
/// users write (`while (socket.write(block)) {}`, again on `drain`), to a client that stops
/// reading for a moment after every 8th chunk, over TCP on 127.0.0.1 or, given a path, a
/// Unix socket. Returns (bytes received, in order, drains).
fn paced_download(path: Option<String>, total: usize) -> (usize, bool, usize) {
    const BLOCK: usize = 1024 * 1024;
    let rx = Receiver::new();
    let drains = Rc::new(Cell::new(0usize));
    let (rx2, d2) = (rx.clone(), drains.clone());
    nodenet::run(move || {
        // Far more than the transfer needs; it only fails a test that would hang.
        nodenet::set_timeout(30_000, || panic!("the paced download stalled")).unref();
        let server = net::create_server();
        let drains = d2.clone();
        server.on(Connection, move |s| {
            let next = Rc::new(Cell::new(0usize));
            let pump = move || {
                while next.get() < total {
                    let at = next.get();
                    next.set(at + BLOCK);
                    if !s.write(patterned(at, BLOCK.min(total - at))) {
                        return;
                    }
                }
                s.end();
            };
            pump();
            let drains = drains.clone();
            s.on(Drain, move |_| {
                drains.set(drains.get() + 1);
                pump();
            });
        });
        let rx = rx2.clone();
        let listen = match &path {
            Some(p) => ListenOptions::path(p.clone()),
            None => ListenOptions::from((0, "127.0.0.1")),
        };
        server.on(Listening, move |_| {
            let c = net::connect(match &path {
                Some(p) => ConnectOptions::path(p.clone()),
                None => {
                    let port = server.address().map(|a| a.port()).unwrap_or(0);
                    ConnectOptions::from((port, "127.0.0.1"))
                }
            });
            let (rx, chunks) = (rx.clone(), Rc::new(Cell::new(0u32)));
            c.on(Data, move |d| {
                rx.take(d.as_bytes());
                chunks.set(chunks.get() + 1);
                if chunks.get() % 8 == 0 {
                    c.pause();
                    nodenet::set_timeout(1, move || {
                        c.resume();
                    });
                }
            });
            c.on(End, move |_| {
                server.close();
            });
        });
        server.listen(listen);
    })
    .expect("loop ends cleanly");
    (rx.got.get(), rx.in_order.get(), drains.get())
}

#[test]
fn a_drain_paced_download_of_large_blocks_arrives_whole_over_tcp_and_over_a_unix_socket() {
    // Sends the kernel takes only in part leave the rest queued until the socket signals
    // room again; every byte must still arrive, in order, over both kinds of socket.
    const TOTAL: usize = 24 * 1024 * 1024 + 12_345;
    let (got, in_order, drains) = paced_download(None, TOTAL);
    assert_eq!((got, in_order), (TOTAL, true));
    assert!(drains > 0, "the sender never waited for drain");
    let path = std::env::temp_dir().join(format!("nodenet-{}-paced.sock", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let path = path.to_string_lossy().into_owned();
    let (got, in_order, drains) = paced_download(Some(path), TOTAL);
    assert_eq!((got, in_order), (TOTAL, true));
    assert!(drains > 0, "the sender never waited for drain");
}

/// A write made while connecting gets its callback, with an error, when the connect fails
/// instead (a lookup that fails, a refused port): no `connect` comes to send it.
#[test]
fn a_write_made_while_connecting_is_failed_when_the_connect_fails() {
    use nodenet::net::Resolver;
    // Per failing connect: its name and the write callback's error code.
    type Calls = Rc<RefCell<Vec<(&'static str, Option<String>)>>>;
    let calls: Calls = Rc::default();
    let c2 = calls.clone();
    nodenet::run(move || {
        let failing_lookup = ConnectOptions {
            lookup: Some(Resolver::new(|_, _| {
                Err(nodenet::Error::node("ENOTFOUND", "no such host"))
            })),
            ..ConnectOptions::from((9, "example.test"))
        };
        let refused = ConnectOptions::from((9, "127.0.0.1"));
        for (name, opts) in [("lookup", failing_lookup), ("refused", refused)] {
            let c = net::connect(opts);
            c.on(Error, |_| {});
            let calls = c2.clone();
            c.write_cb("x", move |e| {
                calls
                    .borrow_mut()
                    .push((name, e.map(|e| e.code().to_string())))
            });
        }
    })
    .unwrap();
    let mut seen = calls.borrow().clone();
    seen.sort();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen.iter().all(|(_, e)| e.is_some()), "{seen:?}");
}

#[test]
fn a_source_piped_into_two_sockets_waits_for_the_slower_one_and_both_get_every_byte() {
    // More than the kernel's buffers on the slow path hold, so its destination's queue
    // fills while its reader sleeps.
    const TOTAL: usize = 32 << 20;
    // The sink: connection 0 sleeps 100 ms before it reads, connection 1 300 ms: both
    // destinations fill, and once the first drains the source must still wait for the
    // second's `drain`.
    let sinks = [Receiver::new(), Receiver::new()];
    let ended = Rc::new(Cell::new(0usize));
    let source_pauses = Rc::new(Cell::new(0usize));
    let unpipes = Rc::new(Cell::new(0usize));
    let early_resumes = Rc::new(Cell::new(0usize));
    let early2 = early_resumes.clone();
    let (sinks2, ended2, pauses2, unpipes2) = (
        sinks.clone(),
        ended.clone(),
        source_pauses.clone(),
        unpipes.clone(),
    );
    nodenet::run(move || {
        let accepted = Rc::new(Cell::new(0usize));
        let (sinks3, ended3) = (sinks2.clone(), ended2.clone());
        serve(
            ServerOptions::default(),
            move |s| {
                let k = accepted.get();
                accepted.set(k + 1);
                let rx = sinks3[k.min(1)].clone();
                s.on(Data, move |d| rx.take(d.as_bytes()));
                let ended = ended3.clone();
                s.on(End, move |_| ended.set(ended.get() + 1));
                s.pause();
                nodenet::set_timeout(if k == 0 { 100 } else { 300 }, move || {
                    s.resume();
                });
            },
            move |sink, sink_port| {
                let (pauses, unpipes, early2) = (pauses2.clone(), unpipes2.clone(), early2.clone());
                serve(
                    ServerOptions::default(),
                    move |a| {
                        let d1 = net::connect((sink_port, "127.0.0.1"));
                        let pauses = pauses.clone();
                        let unpipes = unpipes.clone();
                        let early2 = early2.clone();
                        d1.on(Connect, move |_| {
                            let d2 = net::connect((sink_port, "127.0.0.1"));
                            let (pauses, unpipes, early2) =
                                (pauses.clone(), unpipes.clone(), early2.clone());
                            d2.on(Connect, move |_| {
                                a.on(Pause, {
                                    let p = pauses.clone();
                                    move |_| p.set(p.get() + 1)
                                });
                                for d in [d1, d2] {
                                    let u = unpipes.clone();
                                    d.on(Unpipe, move |src| {
                                        if src == a {
                                            u.set(u.get() + 1);
                                        }
                                    });
                                }
                                // How much waits in the destinations' queues as the
                                // source flows: bounded if it waits for the slower one.
                                a.pipe(d1);
                                a.pipe(d2);
                                // The source flows again only once no destination
                                // waits for its `drain`.
                                let early = early2.clone();
                                a.on(Resume, move |_| {
                                    if d1.writable_need_drain() || d2.writable_need_drain() {
                                        early.set(early.get() + 1);
                                    }
                                });
                                // Both pipes set up: the uploader may start.
                                a.write("go");
                            });
                        });
                    },
                    move |source, port| {
                        let c = net::connect((port, "127.0.0.1"));
                        c.once(Data, move |_| {
                            let mut off = 0;
                            while off < TOTAL {
                                c.write(patterned(off, 64 * 1024));
                                off += 64 * 1024;
                            }
                            c.end();
                        });
                        c.on(Close, move |_| {
                            source.close();
                            sink.close();
                        });
                    },
                );
            },
        );
    })
    .expect("loop ends cleanly");
    for (k, rx) in sinks.iter().enumerate() {
        assert_eq!(rx.got.get(), TOTAL, "sink {k} got every byte");
        assert!(rx.in_order.get(), "sink {k} in order");
    }
    assert_eq!(ended.get(), 2, "the source's end ended both destinations");
    assert!(
        source_pauses.get() >= 1,
        "the source paused for the slow destination"
    );
    assert_eq!(
        unpipes.get(),
        2,
        "each destination's finish unpiped it, once"
    );
    assert_eq!(
        early_resumes.get(),
        0,
        "the source resumed while a destination still waited for its drain"
    );
}

#[test]
fn a_chunk_unshifted_from_the_only_data_listener_flows_next_and_is_not_lost() {
    // Node calls the listener again inside unshift(); a Rust listener is not re-entered,
    // so the chunk must come back to it after it returns, before the peer's later data.
    let got: Rc<RefCell<Vec<String>>> = Rc::default();
    let g = got.clone();
    nodenet::run(move || {
        serve(
            ServerOptions::default(),
            |peer| {
                peer.write("hello");
                nodenet::set_timeout(50, move || {
                    peer.end_with("world");
                });
            },
            move |server, port| {
                let c = net::connect((port, "127.0.0.1"));
                let once = Rc::new(Cell::new(false));
                c.on(Data, move |chunk| {
                    g.borrow_mut()
                        .push(String::from_utf8_lossy(chunk.as_bytes()).into_owned());
                    if !once.replace(true) {
                        c.unshift("again:");
                    }
                });
                c.on(Close, move |_| {
                    server.close();
                });
            },
        );
    })
    .expect("loop ends cleanly");
    assert_eq!(*got.borrow(), ["hello", "again:", "world"]);
}
