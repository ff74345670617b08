//! Next ticks run before anything else the loop does (ports of Node's
//! test-next-tick-intentional-starvation and test-next-tick-ordering2): a tick that queues a
//! 0 ms timer and another tick sees that tick first; a chain of ticks that re-queue
//! themselves for 100 ms holds back a 50 ms timer and an immediate until it stops. Then the
//! first timers phase runs both timers (the 1 ms list comes due first), then the check
//! phase the immediate.
use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

fn spin(start: Instant, spins: Rc<Cell<u32>>) {
    spins.set(spins.get() + 1);
    if start.elapsed() >= Duration::from_millis(100) {
        out!(
            "ticks stop after 100 ms, more than one: {}",
            spins.get() > 1
        );
        return;
    }
    nodenet::next_tick(move || spin(start, spins));
}

pub fn scenario() {
    let start = Instant::now();
    nodenet::next_tick(|| {
        out!("first tick");
        nodenet::set_timeout(0, || out!("timeout 0 set by a tick"));
        nodenet::next_tick(|| out!("tick queued by a tick"));
    });
    let spins = Rc::new(Cell::new(0));
    nodenet::next_tick(move || spin(start, spins));
    nodenet::set_timeout(50, || out!("timeout 50, held back by the ticks"));
    nodenet::set_immediate(|| out!("immediate"));
    out!("main ends");
}
