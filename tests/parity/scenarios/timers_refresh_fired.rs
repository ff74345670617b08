//! `refresh` of a timeout that already ran arms it again in Node, its callback included
//! (ports of the refresh-after-run parts of Node's test-timers-refresh-in-callback and
//! test-timers-refresh): refreshed in its own callback, it runs twice; refreshed from a
//! tick after it ran, it runs again too; and `hasRef()` of a timeout that ran reads true.
//!
//! A known difference: nodenet's `set_timeout` takes an `FnOnce`, spent by the one run, and
//! drops the timer then; `refresh` of a timer that ran (or was cleared) does nothing, and
//! `has_ref` reads false. Running it again would need the callback to be `FnMut`, a change
//! of the public API. (A timeout's way to repeat is `set_interval`.)
use std::cell::Cell;
use std::rc::Rc;

use nodenet::Timer;

pub fn scenario() {
    let runs = Rc::new(Cell::new(0));
    let me: Rc<Cell<Option<Timer>>> = Rc::default();
    let me2 = me.clone();
    me.set(Some(nodenet::set_timeout(20, move || {
        runs.set(runs.get() + 1);
        out!("timeout run {}", runs.get());
        if runs.get() == 1
            && let Some(t) = me2.get()
        {
            t.refresh();
        }
    })));
    let fruns = Rc::new(Cell::new(0));
    let fme: Rc<Cell<Option<Timer>>> = Rc::default();
    let fme2 = fme.clone();
    fme.set(Some(nodenet::set_timeout(100, move || {
        fruns.set(fruns.get() + 1);
        out!("f run {}", fruns.get());
        if fruns.get() == 1 {
            let fme3 = fme2.clone();
            nodenet::next_tick(move || {
                if let Some(f) = fme3.get() {
                    f.refresh();
                    out!("f refreshed from a tick, hasRef {}", f.has_ref());
                }
            });
        }
    })));
}
