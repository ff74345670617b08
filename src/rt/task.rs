//! A queued callback that does not allocate when it is small.
//!
//! The loop queues many one-shot callbacks of its own: a socket's `end`, `finish` and
//! `close` emits on next tick, in the pending phase or the close phase. Most capture a
//! handle (8 bytes), some a handle and an error (16). Boxing each as a `Box<dyn FnOnce()>`
//! cost an allocation and a free per callback, about five per accepted-and-closed
//! connection. A [`Task`] stores a closure of up to two words in place, with the two
//! functions that run or drop it; a larger closure is boxed, and the box (itself two
//! words) is stored in place the same way.

use std::mem::{ManuallyDrop, MaybeUninit};

/// Room for a closure stored in place: two words, word-aligned.
type Slot = MaybeUninit<[usize; 2]>;

/// A one-shot callback, stored in place when it fits in two words.
pub(crate) struct Task {
    slot: Slot,
    /// Moves the closure out of the slot and calls it.
    run: unsafe fn(*mut u8),
    /// Drops the closure in the slot (a task dropped without running).
    drop: unsafe fn(*mut u8),
}

/// Move the `F` in the slot at `p` out and call it.
///
/// # Safety
/// `p` holds an initialised `F` that nothing else will read or drop.
unsafe fn run_in_place<F: FnOnce()>(p: *mut u8) {
    // SAFETY: the caller's contract; the closure is moved out exactly once.
    let f = unsafe { p.cast::<F>().read() };
    f()
}

/// Drop the `F` in the slot at `p`.
///
/// # Safety
/// `p` holds an initialised `F` that nothing else will read or drop.
unsafe fn drop_in_place<F>(p: *mut u8) {
    // SAFETY: the caller's contract.
    unsafe { p.cast::<F>().drop_in_place() }
}

impl Task {
    /// Wrap `f`: in place when it fits in two words, else boxed.
    pub(crate) fn new<F: FnOnce() + 'static>(f: F) -> Task {
        let fits = size_of::<F>() <= size_of::<Slot>() && align_of::<F>() <= align_of::<Slot>();
        if !fits {
            // A `Box<dyn FnOnce()>` is two words: it always fits.
            return Task::new(Box::new(f) as Box<dyn FnOnce()>);
        }
        let mut slot = Slot::uninit();
        // SAFETY: `F` fits the slot in size and alignment (checked above).
        unsafe { slot.as_mut_ptr().cast::<F>().write(f) };
        Task {
            slot,
            run: run_in_place::<F>,
            drop: drop_in_place::<F>,
        }
    }

    /// Run the callback (consuming the task).
    pub(crate) fn run(self) {
        let mut me = ManuallyDrop::new(self);
        let run = me.run;
        // SAFETY: the slot holds the closure `run` was made for; `ManuallyDrop` keeps the
        // task's `Drop` from dropping it again after `run` moved it out.
        unsafe { run(me.slot.as_mut_ptr().cast()) }
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        // SAFETY: a task not run still holds its closure; this is its only drop.
        unsafe { (self.drop)(self.slot.as_mut_ptr().cast()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    #[test]
    fn small_and_large_closures_run_once_with_what_they_captured() {
        let log = Rc::new(RefCell::new(Vec::new()));
        let (a, b) = (log.clone(), log.clone());
        let small = Task::new(move || a.borrow_mut().push("small".to_string()));
        let big = [7u64; 8];
        let large = Task::new(move || {
            b.borrow_mut()
                .push(format!("large {}", big.iter().sum::<u64>()))
        });
        large.run();
        small.run();
        assert_eq!(*log.borrow(), ["large 56", "small"]);
        // Both closures (and their `Rc`s) are gone.
        assert_eq!(Rc::strong_count(&log), 1);
    }

    #[test]
    fn a_task_dropped_without_running_drops_its_closure_once() {
        struct Counted(Rc<Cell<u32>>);
        impl Drop for Counted {
            fn drop(&mut self) {
                self.0.set(self.0.get() + 1);
            }
        }
        let drops = Rc::new(Cell::new(0));
        let c = Counted(drops.clone());
        let t = Task::new(move || drop(c));
        drop(t);
        assert_eq!(drops.get(), 1);
        let c = Counted(drops.clone());
        let pad = [0u8; 64];
        let t = Task::new(move || {
            let _ = (&c, pad);
        });
        drop(t);
        assert_eq!(drops.get(), 2);
        let c = Counted(drops.clone());
        Task::new(move || drop(c)).run();
        assert_eq!(drops.get(), 3);
    }
}
