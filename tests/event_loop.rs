//! The loop's contract: phase order, next tick after every callback, liveness, uncaught
//! errors, reentrancy.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use nodenet::net::{self, events::*};

type Log = Rc<RefCell<Vec<String>>>;

fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

fn push(l: &Log, s: &str) {
    l.borrow_mut().push(s.to_string());
}

#[test]
fn next_ticks_run_before_immediates_and_immediates_before_later_timers() {
    let l = log();
    let l2 = l.clone();
    nodenet::run(move || {
        let (a, b, c, d) = (l2.clone(), l2.clone(), l2.clone(), l2.clone());
        nodenet::set_timeout(20, move || push(&a, "timeout"));
        nodenet::set_immediate(move || {
            push(&b, "immediate");
            let b2 = b.clone();
            nodenet::next_tick(move || push(&b2, "tick inside immediate"));
        });
        nodenet::next_tick(move || {
            push(&c, "tick");
            let c2 = c.clone();
            nodenet::next_tick(move || push(&c2, "tick queued by a tick"));
        });
        push(&d, "setup");
    })
    .expect("run");
    assert_eq!(
        *l.borrow(),
        [
            "setup",
            "tick",
            "tick queued by a tick",
            "immediate",
            "tick inside immediate",
            "timeout"
        ]
    );
}

#[test]
fn timers_fire_in_deadline_order_and_equal_deadlines_in_arming_order() {
    let l = log();
    let l2 = l.clone();
    nodenet::run(move || {
        for (ms, name) in [(30, "c"), (10, "a1"), (10, "a2"), (20, "b")] {
            let l = l2.clone();
            nodenet::set_timeout(ms, move || push(&l, name));
        }
    })
    .expect("run");
    assert_eq!(*l.borrow(), ["a1", "a2", "b", "c"]);
}

#[test]
fn a_cleared_timer_never_fires_and_an_interval_repeats_until_cleared() {
    let l = log();
    let l2 = l.clone();
    nodenet::run(move || {
        let gone = nodenet::set_timeout(5, || panic!("cleared timer fired"));
        nodenet::clear_timeout(gone);
        let count = Rc::new(RefCell::new(0));
        let l3 = l2.clone();
        let iv: Rc<RefCell<Option<nodenet::Timer>>> = Rc::new(RefCell::new(None));
        let iv2 = iv.clone();
        let t = nodenet::set_interval(2, move || {
            *count.borrow_mut() += 1;
            push(&l3, "tick");
            if *count.borrow() == 3
                && let Some(t) = *iv2.borrow()
            {
                nodenet::clear_interval(t);
            }
        });
        *iv.borrow_mut() = Some(t);
    })
    .expect("run");
    assert_eq!(*l.borrow(), ["tick", "tick", "tick"]);
}

#[test]
fn an_unrefd_timer_does_not_keep_the_loop_alive() {
    let start = Instant::now();
    nodenet::run(|| {
        nodenet::set_timeout(2_000, || panic!("an unref'd timer kept the loop alive")).unref();
    })
    .expect("run");
    assert!(start.elapsed() < Duration::from_millis(500));
}

#[test]
fn run_returns_an_error_event_without_listener_as_its_error() {
    let r = nodenet::run(|| {
        // Port 9 (discard): nothing listens there, and being below the ephemeral range no
        // other test's socket can be given it (as a port just freed could be).
        net::connect((9, "127.0.0.1"));
    });
    let e = r.expect_err("ECONNREFUSED has no listener");
    assert_eq!(e.code(), "ECONNREFUSED");
    assert_eq!(e.syscall(), Some("connect"));
}

#[test]
fn run_inside_run_is_refused_not_a_panic() {
    let inner = Rc::new(RefCell::new(None));
    let i2 = inner.clone();
    nodenet::run(move || {
        *i2.borrow_mut() = Some(nodenet::run(|| {}));
    })
    .expect("outer run");
    let inner = inner.borrow_mut().take().expect("inner result");
    assert_eq!(inner.expect_err("nested").code(), "ERR_LOOP_RUNNING");
}

#[test]
fn a_listener_may_remove_itself_and_close_its_own_handle() {
    let l = log();
    let l2 = l.clone();
    nodenet::run(move || {
        let server = net::create_server();
        let l3 = l2.clone();
        let slot: Rc<RefCell<Option<ListenerId>>> = Rc::new(RefCell::new(None));
        let s2 = slot.clone();
        let id = server.on(Listening, move |_| {
            push(&l3, "listening");
            if let Some(id) = *s2.borrow() {
                server.off(Listening, id);
            }
            server.close();
        });
        *slot.borrow_mut() = Some(id);
        let l4 = l2.clone();
        server.on(Close, move |_| {
            push(
                &l4,
                &format!(
                    "close, {} listening listeners",
                    server.listener_count(Listening)
                ),
            )
        });
        server.listen((0, "127.0.0.1"));
    })
    .expect("run");
    assert_eq!(*l.borrow(), ["listening", "close, 0 listening listeners"]);
}

thread_local! {
    static RAN_ON: RefCell<Option<std::thread::ThreadId>> = const { RefCell::new(None) };
}

#[test]
fn a_remote_call_from_another_thread_runs_on_the_loop() {
    let start = Instant::now();
    nodenet::run(|| {
        let remote = nodenet::remote().expect("remote");
        // Only the remote call ends this timer, so the loop ends only if the call ran.
        let keep = nodenet::set_timeout(5_000, || panic!("the remote call never ran"));
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            remote.call(move || {
                RAN_ON.with(|r| *r.borrow_mut() = Some(std::thread::current().id()));
                nodenet::clear_timeout(keep);
            });
        });
    })
    .expect("run");
    assert_eq!(
        RAN_ON.with(|r| *r.borrow()),
        Some(std::thread::current().id())
    );
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_cleared_callbacks_captures_may_arm_timers_when_they_are_dropped() {
    // A guard captured by a callback that is cleared before it runs: its drop arms a timer
    // of its own, which must be armed (the loop state is not held while it drops) and fire.
    struct Guard(Log, &'static str);
    impl std::ops::Drop for Guard {
        fn drop(&mut self) {
            let (l, name) = (self.0.clone(), self.1);
            nodenet::set_timeout(1, move || {
                push(&l, &format!("{name} dropped, its timer fired"))
            });
        }
    }
    let l = log();
    let l2 = l.clone();
    nodenet::run(move || {
        let g = Guard(l2.clone(), "timeout's guard");
        let t = nodenet::set_timeout(10_000, move || {
            let _ = &g;
        });
        nodenet::clear_timeout(t);
        let g = Guard(l2.clone(), "immediate's guard");
        let i = nodenet::set_immediate(move || {
            let _ = &g;
        });
        nodenet::clear_immediate(i);
    })
    .unwrap();
    let mut got = l.borrow().clone();
    got.sort();
    assert_eq!(
        got,
        [
            "immediate's guard dropped, its timer fired",
            "timeout's guard dropped, its timer fired"
        ]
    );
}

#[test]
fn a_lookup_callback_kept_in_a_thread_local_is_dropped_quietly_as_the_thread_ends() {
    // The callback outlives the loop in a thread-local of the user's, which the thread's
    // end destroys after the library's own (or before: the order is not promised). Its
    // drop must not panic either way; a panic in a destructor there aborts the process.
    use nodenet::net::{self, ConnectOptions, LookupCallback, Resolver};
    use std::cell::RefCell;
    thread_local! {
        static KEPT: RefCell<Option<LookupCallback>> = const { RefCell::new(None) };
    }
    let t = std::thread::spawn(|| {
        // Touched first, so destroyed last (thread-locals go in reverse order of first
        // use here): after the socket table.
        KEPT.with(|_| ());
        nodenet::run(|| {
            let c = net::connect(ConnectOptions {
                port: 9,
                host: "example.test".into(),
                lookup: Some(Resolver::with_callback(|_, _, cb| {
                    KEPT.with(|k| *k.borrow_mut() = Some(cb));
                })),
                ..Default::default()
            });
            c.destroy();
        })
        .map_err(|e| e.to_string())
    });
    let r = t.join().expect("the thread ended without a panic");
    assert!(r.is_ok(), "{r:?}");
}
