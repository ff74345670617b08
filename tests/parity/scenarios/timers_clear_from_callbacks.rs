//! Clearing from callbacks and ticks (ports of Node's test-timers-next-tick,
//! test-timers-setimmediate-infinite-loop, test-timers-immediate, test-timers-clearImmediate,
//! test-timers-clear-timeout-interval-equivalent,
//! test-timers-same-timeout-wrong-list-deleted): four 1 ms timers all due in the first
//! timers phase, the first's tick clearing the second and third; immediates of one check
//! phase cleared by an earlier one's tick, by an earlier one itself, and an immediate
//! clearing itself as it runs; `clear_timeout` and `clear_interval` taking either kind; a
//! timer clearing itself in its callback, then arming one of its own delay that a 1 ms
//! timer clears.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::{Immediate, Timer};

use super::slow_util::busy;

pub fn scenario() {
    let t: Rc<[Cell<Option<Timer>>; 4]> = Rc::default();
    let t2 = t.clone();
    t[0].set(Some(nodenet::set_timeout(1, move || {
        out!("timer 1");
        nodenet::next_tick(move || {
            out!("its tick clears timers 2 and 3");
            for i in [1, 2] {
                if let Some(h) = t2[i].get() {
                    nodenet::clear_timeout(h);
                }
            }
        });
    })));
    t[1].set(Some(nodenet::set_timeout(1, || out!("timer 2 (never)"))));
    t[2].set(Some(nodenet::set_timeout(1, || out!("timer 3 (never)"))));
    t[3].set(Some(nodenet::set_timeout(1, || out!("timer 4"))));
    nodenet::clear_timeout(nodenet::set_interval(1, || {
        out!("interval cleared by clear_timeout (never)")
    }));
    nodenet::clear_interval(nodenet::set_timeout(1, || {
        out!("timeout cleared by clear_interval (never)")
    }));

    let im: Rc<[Cell<Option<Immediate>>; 6]> = Rc::default();
    let im2 = im.clone();
    im[0].set(Some(nodenet::set_immediate(move || {
        out!("immediate 1");
        nodenet::next_tick(move || {
            out!("its tick clears immediates 2 and 3");
            for i in [1, 2] {
                if let Some(h) = im2[i].get() {
                    nodenet::clear_immediate(h);
                }
            }
        });
    })));
    im[1].set(Some(nodenet::set_immediate(|| out!("immediate 2 (never)"))));
    im[2].set(Some(nodenet::set_immediate(|| out!("immediate 3 (never)"))));
    let im3 = im.clone();
    im[3].set(Some(nodenet::set_immediate(move || {
        out!("immediate 4 clears itself and immediate 5");
        for i in [3, 4] {
            if let Some(h) = im3[i].get() {
                nodenet::clear_immediate(h);
            }
        }
    })));
    im[4].set(Some(nodenet::set_immediate(|| out!("immediate 5 (never)"))));
    im[5].set(Some(nodenet::set_immediate(|| out!("immediate 6"))));

    let h1: Rc<Cell<Option<Timer>>> = Rc::default();
    let h1b = h1.clone();
    h1.set(Some(nodenet::set_timeout(40, move || {
        out!("h1 clears itself, arms h2 (40 ms) and a 1 ms timer");
        if let Some(h) = h1b.get() {
            nodenet::clear_timeout(h);
        }
        let h2 = nodenet::set_timeout(40, || out!("h2 (never)"));
        nodenet::set_timeout(1, move || {
            out!("the 1 ms timer clears h2");
            nodenet::clear_timeout(h2);
        });
    })));
    busy(5);
    out!("main ends");
}
