//! An interval is put back in its list after its callback, from the time read just before
//! it (Node's `listOnTimeout`): a 20 ms timeout its first run arms goes ahead of it, and
//! its second run comes before; a refresh in its own callback changes nothing, even after
//! the callback was busy 30 ms (the 40 ms interval's second run still comes at 80 ms,
//! before a 100 ms timer).
use std::cell::Cell;
use std::rc::Rc;

use nodenet::Timer;

use super::slow_util::busy;

fn part2() {
    let mut runs = 0;
    let me: Rc<Cell<Option<Timer>>> = Rc::default();
    let me2 = me.clone();
    me.set(Some(nodenet::set_interval(40, move || {
        runs += 1;
        out!("40 ms interval run {runs}");
        let Some(iv) = me2.get() else { return };
        if runs == 1 {
            busy(30);
            iv.refresh();
        } else {
            nodenet::clear_interval(iv);
        }
    })));
    nodenet::set_timeout(100, || out!("timer 100"));
}

pub fn scenario() {
    let mut runs = 0;
    let me: Rc<Cell<Option<Timer>>> = Rc::default();
    let me2 = me.clone();
    me.set(Some(nodenet::set_interval(20, move || {
        runs += 1;
        out!("interval run {runs}");
        if runs == 1 {
            nodenet::set_timeout(20, || out!("timeout armed by the interval's first run"));
        }
        if runs == 2 {
            if let Some(iv) = me2.get() {
                nodenet::clear_interval(iv);
            }
            part2();
        }
    })));
}
