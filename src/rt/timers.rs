//! Timers: a min-heap of `(deadline, seq)` with lazy cancellation, as libuv keeps them.
//!
//! A timer's entry lives in a map; the heap holds `(deadline, seq, id)` and an entry is live
//! only while its `seq` matches, so clearing or re-arming a timer is O(log n) and never
//! searches the heap. Timers due at the same moment fire in the order they were armed.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::rc::Rc;
use std::time::{Duration, Instant};

pub(crate) enum TimerCb {
    Once(Box<dyn FnOnce()>),
    Repeat(Rc<RefCell<dyn FnMut()>>),
}

pub(crate) struct TimerEntry {
    pub seq: u64,
    pub deadline: Instant,
    pub delay: Duration,
    pub repeat: bool,
    pub refed: bool,
    pub cb: Option<TimerCb>,
}

#[derive(Default)]
pub(crate) struct Timers {
    heap: BinaryHeap<Reverse<(Instant, u64, u64)>>,
    pub entries: HashMap<u64, TimerEntry>,
    next_seq: u64,
    pub refed: usize,
}

impl Timers {
    /// Arm a new timer; returns whether it counts toward liveness (always ref'd at start).
    pub fn insert(&mut self, id: u64, now: Instant, delay: Duration, repeat: bool, cb: TimerCb) {
        self.next_seq += 1;
        let deadline = now + delay;
        self.heap.push(Reverse((deadline, self.next_seq, id)));
        self.entries.insert(
            id,
            TimerEntry {
                seq: self.next_seq,
                deadline,
                delay,
                repeat,
                refed: true,
                cb: Some(cb),
            },
        );
        self.refed += 1;
    }

    /// Re-arm an existing timer from `now` (Node's `refresh`, and interval repeats).
    pub fn rearm(&mut self, id: u64, now: Instant) -> bool {
        let Some(e) = self.entries.get_mut(&id) else {
            return false;
        };
        self.next_seq += 1;
        e.seq = self.next_seq;
        e.deadline = now + e.delay;
        self.heap.push(Reverse((e.deadline, e.seq, id)));
        true
    }

    /// Cancel a timer; its heap slot is dropped lazily.
    pub fn remove(&mut self, id: u64) -> Option<TimerEntry> {
        let e = self.entries.remove(&id)?;
        if e.refed {
            self.refed -= 1;
        }
        Some(e)
    }

    /// Set whether a timer keeps the loop alive.
    pub fn set_ref(&mut self, id: u64, refed: bool) {
        if let Some(e) = self.entries.get_mut(&id)
            && e.refed != refed
        {
            e.refed = refed;
            if refed {
                self.refed += 1
            } else {
                self.refed -= 1
            }
        }
    }

    /// Whether any timer may be armed (cleared ones may linger until a deadline check).
    pub fn any(&self) -> bool {
        !self.heap.is_empty()
    }

    /// The earliest live deadline.
    ///
    /// In line for the usual case of a busy server, no timer at all: the poll asks once per
    /// iteration, and the call's own setup cost an echoed message at one connection 20
    /// instructions (callgrind) for an empty heap.
    #[inline]
    pub fn next_deadline(&mut self) -> Option<Instant> {
        if self.heap.is_empty() {
            return None;
        }
        self.next_live_deadline()
    }

    /// [`next_deadline`](Self::next_deadline) with a timer in the heap: drop the cleared
    /// ones on top and return the first live one's deadline.
    #[inline(never)]
    fn next_live_deadline(&mut self) -> Option<Instant> {
        while let Some(Reverse((d, seq, id))) = self.heap.peek().copied() {
            match self.entries.get(&id) {
                Some(e) if e.seq == seq => return Some(d),
                _ => {
                    self.heap.pop();
                }
            }
        }
        None
    }

    /// Pop the next timer due at or before `now`, returning its id.
    pub fn pop_due(&mut self, now: Instant) -> Option<u64> {
        let d = self.next_deadline()?;
        if d > now {
            return None;
        }
        let Reverse((_, _, id)) = self.heap.pop()?;
        Some(id)
    }
}
