//! unref and ref of timers (ports of Node's test-timers-unref,
//! test-timers-unrefd-interval-still-fires, test-timers-unenroll-unref-interval,
//! test-timers-unref-throw-then-ref): `has_ref` through a chain of unref and ref; unref'd
//! intervals run while a ref'd timer keeps the loop (two clear themselves at once, by
//! `clear_timeout` and by `clear_interval`; one runs three times, then clears itself and the
//! timer that kept the loop, and the run ends); an unref'd timeout that refs itself in its
//! callback keeps nothing alive; a timeout unref'd then ref'd runs.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::Timer;

/// An interval whose callback gets its own handle.
fn interval(ms: u64, mut f: impl FnMut(Timer) + 'static) -> Timer {
    let me: Rc<Cell<Option<Timer>>> = Rc::default();
    let me2 = me.clone();
    let t = nodenet::set_interval(ms, move || {
        if let Some(h) = me2.get() {
            f(h)
        }
    });
    me.set(Some(t));
    t
}

pub fn scenario() {
    let t = nodenet::set_timeout(10_000, || out!("long timeout (never)"));
    out!("hasRef {}", t.has_ref());
    t.unref().ref_().unref();
    out!("after unref, ref, unref: hasRef {}", t.has_ref());
    nodenet::set_interval(10_000, || out!("long interval (never)"))
        .unref()
        .ref_()
        .unref();
    let keep = nodenet::set_timeout(1000, || out!("keep (never)"));
    interval(40, |me| {
        out!("unref'd interval a clears itself by clearTimeout");
        nodenet::clear_timeout(me);
    })
    .unref();
    interval(40, |me| {
        out!("unref'd interval b clears itself by clearInterval");
        nodenet::clear_interval(me);
    })
    .unref();
    let mut runs = 0;
    interval(40, move |me| {
        runs += 1;
        out!("unref'd interval c run {runs}");
        if runs == 3 {
            nodenet::clear_interval(me);
            nodenet::clear_timeout(keep);
            out!("c clears itself and keep");
        }
    })
    .unref();
    let u: Rc<Cell<Option<Timer>>> = Rc::default();
    let u2 = u.clone();
    u.set(Some(
        nodenet::set_timeout(40, move || {
            out!("unref'd timeout refs itself in its callback");
            if let Some(h) = u2.get() {
                h.ref_();
            }
        })
        .unref(),
    ));
    nodenet::set_timeout(60, || out!("timeout unref'd then ref'd runs"))
        .unref()
        .ref_();
}
