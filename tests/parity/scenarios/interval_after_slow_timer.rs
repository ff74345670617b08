//! An interval is re-armed from the clock's time just before its callback runs (Node reads
//! it with getLibuvNow()), not from when it was due: a slow timer ahead of it in the same
//! timers phase pushes its next run back, and a timer due in between comes first (a timer
//! of 230 ms, before the interval's 220 + 20).
use std::cell::Cell;
use std::rc::Rc;

use super::slow_util::busy;

pub fn scenario() {
    nodenet::set_timeout(20, || {
        out!("slow timer");
        busy(200);
    });
    let n = Rc::new(Cell::new(0));
    let iv = Rc::new(Cell::new(None));
    let iv2 = iv.clone();
    iv.set(Some(nodenet::set_interval(20, move || {
        n.set(n.get() + 1);
        out!("interval {}", n.get());
        if n.get() == 2
            && let Some(t) = iv2.get()
        {
            nodenet::clear_interval(t);
        }
    })));
    nodenet::set_timeout(230, || out!("timer 230"));
}
