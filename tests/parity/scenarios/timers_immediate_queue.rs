//! Immediates queued during the check phase wait for the next one (a port of Node's
//! test-timers-immediate-queue): five immediates each queue another; the first also arms a
//! 1 ms timer and stays busy 2 ms, so the timer is due when the phase ends and runs between
//! the two check phases, where the second round sees it ran.
use std::cell::Cell;
use std::rc::Rc;

use super::slow_util::busy;

fn run(i: u32, round: u32, timer_ran: Rc<Cell<bool>>) {
    if timer_ran.get() {
        out!("immediate {i} round {round}: the timer ran");
        return;
    }
    if i == 0 && round == 1 {
        let ran = timer_ran.clone();
        nodenet::set_timeout(1, move || {
            out!("timer 1");
            ran.set(true);
        });
        busy(2);
    }
    out!("immediate {i} round {round}");
    nodenet::set_immediate(move || run(i, round + 1, timer_ran));
}

pub fn scenario() {
    let timer_ran = Rc::new(Cell::new(false));
    for i in 0..5 {
        let ran = timer_ran.clone();
        nodenet::set_immediate(move || run(i, 1, ran));
    }
}
