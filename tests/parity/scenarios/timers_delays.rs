//! The delays a u64 can give (a port of Node's test-timers and test-timers-zero-timeout):
//! 0, and 2^31 and more, run as 1 ms, with the 1 ms timers in the order they were armed and
//! before a 2 ms timer armed after them; a 0 ms interval repeats (three runs, then cleared
//! by `clear_timeout`). Each delay of 2^31 and up gives a `TimeoutOverflowWarning` on the
//! next tick.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::Timer;

pub fn scenario() {
    nodenet::process::on_warning(|w| out!("warning {} {}", w.name, w.message.replace('\n', " / ")));
    for ms in [0u64, 1, 2_147_483_648, 12_345_678_901_234] {
        nodenet::set_timeout(ms, move || out!("timeout {ms}"));
        let me: Rc<Cell<Option<Timer>>> = Rc::default();
        let me2 = me.clone();
        me.set(Some(nodenet::set_interval(ms, move || {
            if let Some(h) = me2.get() {
                nodenet::clear_interval(h);
            }
            out!("interval {ms}");
        })));
    }
    nodenet::set_timeout(2, || {
        out!("timeout 2, after every 1 ms one");
        let mut runs = 0;
        let me: Rc<Cell<Option<Timer>>> = Rc::default();
        let me2 = me.clone();
        me.set(Some(nodenet::set_interval(0, move || {
            runs += 1;
            out!("interval 0 run {runs}");
            if runs == 3
                && let Some(h) = me2.get()
            {
                nodenet::clear_timeout(h);
            }
        })));
    });
    nodenet::next_tick(|| out!("a tick queued after the timers"));
}
