//! `refresh` (a port of Node's test-timers-refresh, and the refresh of
//! test-timers-not-emit-duration-zero): a refreshed timer goes behind the timers of its
//! delay armed after it, ref'd or not (an unref'd one stays unref'd, and runs while others
//! keep the loop); an interval refreshed before its first run too; a refresh pushes the
//! deadline back (a 60 ms timer refreshed at 40 ms runs after an 80 ms one); a refreshed
//! timer that is cleared never runs; an unref'd timer refreshed keeps nothing alive.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::Timer;

pub fn scenario() {
    let a = nodenet::set_timeout(20, || out!("A (refreshed: after B)"));
    nodenet::set_timeout(20, || out!("B"));
    a.refresh();
    let u = nodenet::set_timeout(20, || out!("U (unref'd, refreshed: after V)"));
    u.unref();
    nodenet::set_timeout(20, || out!("V"));
    u.refresh();
    out!("U has a ref after its refresh: {}", u.has_ref());
    let t60 = nodenet::set_timeout(60, || out!("T60, refreshed at 40 ms"));
    let runs = Rc::new(Cell::new(0));
    let me: Rc<Cell<Option<Timer>>> = Rc::default();
    let me2 = me.clone();
    let iv = nodenet::set_interval(20, move || {
        runs.set(runs.get() + 1);
        out!("interval run {}", runs.get());
        if runs.get() == 2 {
            if let Some(h) = me2.get() {
                nodenet::clear_interval(h);
            }
            t60.refresh();
        }
    });
    me.set(Some(iv));
    nodenet::set_timeout(20, || out!("W"));
    iv.refresh();
    nodenet::set_timeout(80, || out!("timer 80"));
    let r = nodenet::set_timeout(20, || out!("refreshed then cleared (never)"));
    r.refresh();
    nodenet::clear_timeout(r);
    let z = nodenet::set_timeout(200, || out!("unref'd, refreshed at the end (never)"));
    z.unref();
    nodenet::set_timeout(140, move || {
        out!("timer 140 refreshes the unref'd one");
        z.refresh();
    });
}
