//! The socket's state machine under random sequences of calls and peer actions (target F8
//! of the reliability notes): a client runs a random script of writes (with and without
//! callbacks, small and past the highWaterMark), cork/uncork, the forms of end and destroy,
//! an abort of its signal, pause/resume, an idle timeout and a decoder, starting while it
//! is still connecting; the accepted socket runs a random script of its own (writes, end,
//! reset, destroy, pause/resume); over TCP or a Unix socket, with half-open allowed or
//! not. Whatever the interleaving, Node's stream rules must hold:
//!
//! - `close` comes exactly once and nothing is emitted after it;
//! - `error` comes at most once, and `close`'s `had_error` says whether it came;
//! - `connect`, `end` and `finish` come at most once, and `end`/`finish` never after
//!   `error`; `data`, `end`, `finish` and `drain` never before `connect`;
//! - every write callback and end callback is called exactly once, but for an end
//!   callback given after a destroy without an error (before `close`): Node marks such a
//!   socket ending and never calls that callback;
//! - each side receives a prefix of what the other sent, byte for byte;
//! - the loop returns by itself (no handle left behind), without an uncaught error, and
//!   no descriptor stays open.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::mpsc;
use std::time::Duration;

use nodenet::AbortController;
use nodenet::encoding::Encoding;
use nodenet::net::{self, ConnectOptions, ListenOptions, ServerOptions, Socket, events::*};
use proptest::prelude::*;

/// Byte `i` of a sender's stream: ASCII, so a UTF-8 decoder leaves it as it is.
fn pattern(i: usize) -> u8 {
    b'a' + (i % 26) as u8
}

/// `n` bytes of the stream from `from` on.
fn block(from: usize, n: usize) -> Vec<u8> {
    (from..from + n).map(pattern).collect()
}

#[derive(Clone, Debug)]
enum Op {
    Write(usize),
    WriteCb(usize),
    Cork,
    Uncork,
    End,
    EndWith(usize),
    EndThen,
    Destroy,
    DestroyErr,
    Reset,
    DestroySoon,
    /// Abort the signal the client was made with (Node's `signal` option).
    Abort,
    Pause,
    Resume,
    Timeout(u64),
    Utf8,
    Wait(u64),
}

#[derive(Clone, Debug)]
enum Peer {
    Write(usize),
    End,
    Reset,
    Destroy,
    Pause,
    Resume,
    Wait(u64),
}

fn size() -> impl Strategy<Value = usize> {
    prop_oneof![4 => 1usize..200, 1 => Just(200_000usize)]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => size().prop_map(Op::Write),
        3 => size().prop_map(Op::WriteCb),
        1 => Just(Op::Cork),
        1 => Just(Op::Uncork),
        1 => Just(Op::End),
        1 => size().prop_map(Op::EndWith),
        1 => Just(Op::EndThen),
        1 => Just(Op::Destroy),
        1 => Just(Op::DestroyErr),
        1 => Just(Op::Reset),
        1 => Just(Op::DestroySoon),
        1 => Just(Op::Abort),
        1 => Just(Op::Pause),
        1 => Just(Op::Resume),
        1 => (1u64..30).prop_map(Op::Timeout),
        1 => Just(Op::Utf8),
        3 => (0u64..15).prop_map(Op::Wait),
    ]
}

fn peer() -> impl Strategy<Value = Peer> {
    prop_oneof![
        3 => size().prop_map(Peer::Write),
        1 => Just(Peer::End),
        1 => Just(Peer::Reset),
        1 => Just(Peer::Destroy),
        1 => Just(Peer::Pause),
        1 => Just(Peer::Resume),
        3 => (0u64..15).prop_map(Peer::Wait),
    ]
}

/// What the client saw, in order.
#[derive(Clone, Debug, PartialEq)]
enum Ev {
    Connect,
    Data,
    End,
    Finish,
    Drain,
    Timeout,
    Error(String),
    Close(bool),
}

#[derive(Default)]
struct Outcome {
    events: Vec<Ev>,
    /// Each write or end callback, by the order they were made: how many times it was
    /// called, and how many times it should be (1, or 0 for an end callback given after a
    /// destroy without an error, before `close`).
    callbacks: Vec<(u32, u32)>,
    client_got: Vec<u8>,
    client_sent: usize,
    server_got: Vec<u8>,
    server_sent: usize,
    server_closes: u32,
    server_sockets: u32,
    server_close_events: u32,
    run: Option<Result<(), String>>,
}

/// One step of a script: `Some(ms)` to go on after a wait of `ms`.
type Step<T> = Rc<dyn Fn(&T) -> Option<u64>>;

/// Run `script` from `i` on, with the waits as timers; each step reads `s` afresh.
fn run_steps<T: Clone + 'static>(steps: Rc<Vec<T>>, i: usize, step: Step<T>) {
    let mut i = i;
    while i < steps.len() {
        if let Some(ms) = step(&steps[i]) {
            let (steps, step) = (steps.clone(), step.clone());
            nodenet::set_timeout(ms, move || run_steps(steps, i + 1, step));
            return;
        }
        i += 1;
    }
}

fn client_step(c: Socket, abort: AbortController, out: Rc<RefCell<Outcome>>) -> Step<Op> {
    Rc::new(move |op: &Op| {
        let sent = out.borrow().client_sent;
        let cb_slot_expecting = |expected: u32| {
            let mut o = out.borrow_mut();
            o.callbacks.push((0, expected));
            let k = o.callbacks.len() - 1;
            let out = out.clone();
            move || out.borrow_mut().callbacks[k].0 += 1
        };
        let cb_slot = || cb_slot_expecting(1);
        match *op {
            Op::Write(n) => {
                out.borrow_mut().client_sent += n;
                c.write(block(sent, n));
            }
            Op::WriteCb(n) => {
                out.borrow_mut().client_sent += n;
                let done = cb_slot();
                c.write_cb(block(sent, n), move |_| done());
            }
            Op::Cork => c.cork(),
            Op::Uncork => c.uncork(),
            Op::End => {
                c.end();
            }
            Op::EndWith(n) => {
                out.borrow_mut().client_sent += n;
                c.end_with(block(sent, n));
            }
            Op::EndThen => {
                let closed = out
                    .borrow()
                    .events
                    .iter()
                    .any(|e| matches!(e, Ev::Close(_)));
                let never =
                    c.destroyed() && c.errored().is_none() && !c.writable_ended() && !closed;
                let done = cb_slot_expecting(u32::from(!never));
                c.end_then(move |_| done());
            }
            Op::Destroy => {
                c.destroy();
            }
            Op::DestroyErr => {
                c.destroy_with(nodenet::Error::node("ERR_TEST", "destroyed by the script"));
            }
            Op::Reset => {
                c.reset_and_destroy();
            }
            Op::DestroySoon => {
                c.destroy_soon();
            }
            Op::Abort => abort.abort(),
            Op::Pause => {
                c.pause();
            }
            Op::Resume => {
                c.resume();
            }
            Op::Timeout(ms) => {
                c.set_timeout(ms);
            }
            Op::Utf8 => {
                c.set_encoding(Encoding::Utf8);
            }
            Op::Wait(ms) => return Some(ms),
        }
        None
    })
}

fn server_step(s: Socket, out: Rc<RefCell<Outcome>>) -> Step<Peer> {
    Rc::new(move |p: &Peer| {
        match *p {
            Peer::Write(n) => {
                let sent = out.borrow().server_sent;
                out.borrow_mut().server_sent += n;
                s.write(block(sent, n));
            }
            Peer::End => {
                s.end();
            }
            Peer::Reset => {
                s.reset_and_destroy();
            }
            Peer::Destroy => {
                s.destroy();
            }
            Peer::Pause => {
                s.pause();
            }
            Peer::Resume => {
                s.resume();
            }
            Peer::Wait(ms) => return Some(ms),
        }
        None
    })
}

/// One case on a loop of its own thread; `None` if the loop did not return in 10 s.
/// How the two ends are joined: over TCP or a Unix socket, half-open allowed on both
/// ends or on neither.
#[derive(Clone, Copy, Debug)]
struct Setup {
    unix: bool,
    half_open: bool,
}

fn run_case(setup: Setup, ops: Vec<Op>, peer_steps: Vec<Peer>) -> Option<Outcome> {
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        let out = Rc::new(RefCell::new(Outcome::default()));
        let out2 = out.clone();
        let r = nodenet::run(move || {
            let out = out2;
            let ops = Rc::new(ops);
            let server = net::create_server_with(ServerOptions {
                allow_half_open: setup.half_open,
                ..ServerOptions::default()
            });
            let path = std::env::temp_dir().join(format!(
                "nodenet-state-machine-{}-{:?}.sock",
                std::process::id(),
                std::thread::current().id()
            ));
            let _ = std::fs::remove_file(&path);
            let path = path.to_string_lossy().into_owned();
            let peer_steps = Rc::new(peer_steps);
            let o = out.clone();
            server.on(Connection, move |s| {
                o.borrow_mut().server_sockets += 1;
                let o2 = o.clone();
                s.on(Data, move |d| {
                    o2.borrow_mut().server_got.extend_from_slice(d.as_bytes())
                });
                s.on(Error, |_| {});
                let o2 = o.clone();
                s.on(Close, move |_| o2.borrow_mut().server_closes += 1);
                run_steps(peer_steps.clone(), 0, server_step(s, o.clone()));
                // Whatever the scripts did, the accepted side goes after 200 ms.
                nodenet::set_timeout(200, move || {
                    s.destroy();
                });
            });
            let o = out.clone();
            server.on(Close, move |_| o.borrow_mut().server_close_events += 1);
            let o = out.clone();
            let listen_path = path.clone();
            server.on(Listening, move |_| {
                let port = server.address().map(|a| a.port()).unwrap_or(0);
                let to = if setup.unix {
                    ConnectOptions::path(listen_path.clone())
                } else {
                    ConnectOptions::from((port, "127.0.0.1"))
                };
                let abort = AbortController::new();
                let c = net::connect(ConnectOptions {
                    allow_half_open: setup.half_open,
                    signal: Some(abort.signal()),
                    ..to
                });
                let ev = |o: &Rc<RefCell<Outcome>>, e: Ev| o.borrow_mut().events.push(e);
                let o2 = o.clone();
                c.on(Connect, move |_| ev(&o2, Ev::Connect));
                let o2 = o.clone();
                c.on(Data, move |d| {
                    ev(&o2, Ev::Data);
                    o2.borrow_mut().client_got.extend_from_slice(d.as_bytes());
                });
                let o2 = o.clone();
                c.on(End, move |_| ev(&o2, Ev::End));
                let o2 = o.clone();
                c.on(Finish, move |_| ev(&o2, Ev::Finish));
                let o2 = o.clone();
                c.on(Drain, move |_| ev(&o2, Ev::Drain));
                let o2 = o.clone();
                c.on(Timeout, move |_| ev(&o2, Ev::Timeout));
                let o2 = o.clone();
                c.on(Error, move |e| ev(&o2, Ev::Error(e.code().to_string())));
                let o2 = o.clone();
                c.on(Close, move |had_error| {
                    ev(&o2, Ev::Close(had_error));
                    server.close();
                });
                // The script starts while the socket is still connecting.
                run_steps(ops.clone(), 0, client_step(c, abort, o.clone()));
                nodenet::set_timeout(250, move || {
                    c.destroy();
                });
            });
            if setup.unix {
                server.listen(ListenOptions::path(path.clone()));
            } else {
                server.listen((0, "127.0.0.1"));
            }
        });
        out.borrow_mut().run = Some(r.map_err(|e| format!("{} {}", e.code(), e.message())));
        let o = std::mem::take(&mut *out.borrow_mut());
        let _ = tx.send(o);
    });
    let o = rx.recv_timeout(Duration::from_secs(10)).ok()?;
    // The thread's loop (its poller and waker included) is gone once it has exited.
    thread.join().ok()?;
    Some(o)
}

/// Descriptors open in this process (this test binary's other test opens none).
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

fn check(o: &Outcome) -> Result<(), String> {
    let ev = &o.events;
    let count = |p: &dyn Fn(&Ev) -> bool| ev.iter().filter(|e| p(e)).count();
    let pos = |p: &dyn Fn(&Ev) -> bool| ev.iter().position(p);
    let fail = |why: &str| Err(format!("{why}: {ev:?}"));
    if o.run != Some(Ok(())) {
        return fail(&format!("run returned {:?}", o.run));
    }
    let closes = count(&|e| matches!(e, Ev::Close(_)));
    if closes != 1 || !matches!(ev.last(), Some(Ev::Close(_))) {
        return fail("close not exactly once, or not last");
    }
    let errors = count(&|e| matches!(e, Ev::Error(_)));
    if errors > 1 {
        return fail("more than one error");
    }
    if ev.last() != Some(&Ev::Close(errors == 1)) {
        return fail("had_error does not say whether error came");
    }
    for (name, p) in [
        (
            "connect",
            &(|e: &Ev| *e == Ev::Connect) as &dyn Fn(&Ev) -> bool,
        ),
        ("end", &|e: &Ev| *e == Ev::End),
        ("finish", &|e: &Ev| *e == Ev::Finish),
    ] {
        if count(p) > 1 {
            return fail(&format!("{name} more than once"));
        }
    }
    if let Some(e) = pos(&|e| matches!(e, Ev::Error(_)))
        && ev[e..].iter().any(|x| *x == Ev::End || *x == Ev::Finish)
    {
        return fail("end or finish after error");
    }
    let connect = pos(&|e| *e == Ev::Connect).unwrap_or(usize::MAX);
    if let Some(first) = pos(&|e| matches!(e, Ev::Data | Ev::End | Ev::Finish | Ev::Drain))
        && first < connect
    {
        return fail("data, end, finish or drain before connect");
    }
    if let Some((k, (n, want))) = o
        .callbacks
        .iter()
        .enumerate()
        .find(|(_, (n, want))| n != want)
    {
        return fail(&format!("callback {k} called {n} times, not {want}"));
    }
    if o.client_got != block(0, o.client_got.len()) || o.client_got.len() > o.server_sent {
        return fail("the client's bytes are not a prefix of what the server sent");
    }
    if o.server_got != block(0, o.server_got.len()) || o.server_got.len() > o.client_sent {
        return fail("the server's bytes are not a prefix of what the client sent");
    }
    if o.server_closes != o.server_sockets || o.server_close_events != 1 {
        return Err(format!(
            "server: {} sockets, {} closes, {} close events",
            o.server_sockets, o.server_closes, o.server_close_events
        ));
    }
    Ok(())
}

proptest! {
    // `STATE_MACHINE_CASES=N` for a longer search than the default 48 cases.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("STATE_MACHINE_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_script_keeps_the_stream_rules(
        ops in prop::collection::vec(op(), 0..9),
        peer_steps in prop::collection::vec(peer(), 0..6),
        unix in any::<bool>(),
        half_open in any::<bool>(),
    ) {
        let fds_before = open_fds();
        let o = run_case(Setup { unix, half_open }, ops, peer_steps);
        prop_assert!(o.is_some(), "the loop did not return within 10 s");
        // No descriptor left behind, whichever way the sockets ended.
        prop_assert_eq!(open_fds(), fds_before);
        let o = o.unwrap_or_default();
        let r = check(&o);
        prop_assert!(r.is_ok(), "{}", r.err().unwrap_or_default());
    }
}

/// The checks can fail: a case built to break each rule is caught.
#[test]
fn the_checks_catch_a_broken_outcome() {
    let good = || Outcome {
        events: vec![Ev::Connect, Ev::Data, Ev::End, Ev::Finish, Ev::Close(false)],
        callbacks: vec![(1, 1), (1, 1), (0, 0)],
        client_got: block(0, 10),
        client_sent: 5,
        server_got: block(0, 5),
        server_sent: 10,
        server_closes: 1,
        server_sockets: 1,
        server_close_events: 1,
        run: Some(Ok(())),
    };
    assert_eq!(check(&good()), Ok(()));
    type Breakage = Box<dyn Fn(&mut Outcome)>;
    let broken: Vec<Breakage> = vec![
        Box::new(|o| o.events.push(Ev::Timeout)),
        Box::new(|o| o.events.insert(0, Ev::Close(false))),
        Box::new(|o| *o.events.last_mut().unwrap() = Ev::Close(true)),
        Box::new(|o| o.events.insert(1, Ev::Error("E".into()))),
        Box::new(|o| o.events.insert(1, Ev::End)),
        Box::new(|o| o.events.insert(0, Ev::Data)),
        Box::new(|o| o.callbacks[1].0 = 2),
        Box::new(|o| o.callbacks[0].0 = 0),
        Box::new(|o| o.callbacks[2].0 = 1),
        Box::new(|o| o.client_got[3] = b'z'),
        Box::new(|o| o.server_got.push(b'x')),
        Box::new(|o| o.server_closes = 0),
        Box::new(|o| o.run = Some(Err("uncaught".into()))),
    ];
    for (i, b) in broken.iter().enumerate() {
        let mut o = good();
        b(&mut o);
        assert!(check(&o).is_err(), "breakage {i} passed the checks");
    }
}
