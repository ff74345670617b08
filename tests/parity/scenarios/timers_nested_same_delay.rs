//! A timer armed in a timer's callback with the same delay (ports of Node's
//! test-timers-nested, test-timers-ordering, test-timers-timeout-with-non-integer): it
//! never runs in the timers phase that armed it, even when the callback stays busy past its
//! deadline: the tick and the immediate the callback queued come first. Done with 0 ms
//! (1 ms) and 20 ms; then a chain of 30 1 ms timers, each armed by the one before, in order.
use std::cell::Cell;
use std::rc::Rc;

use super::slow_util::busy;

fn part2() {
    nodenet::set_timeout(20, || {
        out!("A2 (20 ms) arms B2 (20 ms), then is busy 20 ms");
        nodenet::set_timeout(20, || {
            out!("B2");
            part3();
        });
        busy(20);
        nodenet::next_tick(|| out!("tick after A2"));
        nodenet::set_immediate(|| out!("immediate from A2"));
    });
}

fn link(i: u32, last: Rc<Cell<u32>>) {
    if i != last.get() + 1 {
        out!("chain out of order: {i} after {}", last.get());
    }
    last.set(i);
    if i < 30 {
        nodenet::set_timeout(1, move || link(i + 1, last));
    } else {
        out!("chain of 30 in order");
    }
}

fn part3() {
    let last = Rc::new(Cell::new(0));
    nodenet::set_timeout(1, move || link(1, last));
}

pub fn scenario() {
    nodenet::set_timeout(0, || {
        out!("A (0 ms) arms B (0 ms)");
        nodenet::set_timeout(0, || {
            out!("B");
            part2();
        });
        nodenet::next_tick(|| out!("tick after A"));
        nodenet::set_immediate(|| out!("immediate from A"));
    });
}
