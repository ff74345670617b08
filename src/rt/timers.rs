//! Timers: one list per duration, and a min-heap of the lists' first deadlines, as Node
//! keeps them.
//!
//! Node puts every timer armed with the same duration in one list (`timerListMap`), in the
//! order they were armed: their start times only grow, so each list is sorted by deadline
//! (but for an interval, below), and arming or clearing a timer is O(1). A priority queue
//! holds one entry per list, keyed by the list's first deadline. A server has few distinct
//! durations (an idle timeout, a request timeout, ...) and many timers, so the queue stays
//! small however many timers are armed. A heap of every timer (what this module kept
//! before) paid a sift through all of them per timer fired: with 200,000 timers of 50
//! durations, armed and half of them cleared, `BinaryHeap::pop` was the largest single cost
//! of the run (perf, 13%), and nodenet fired them no faster than Node 24.
//!
//! A timer's entry lives in a map; a list holds `(deadline, seq, id)` slots and a slot is
//! live only while its `seq` is the entry's, so clearing or re-arming a timer leaves its old
//! slot behind to be dropped when it reaches the front of its list (or, when such slots
//! outnumber the live timers, by a sweep). A heap entry is live only while it is the one its
//! list has queued. Timers due at the same moment fire in the order they were armed, across
//! lists too: the heap orders by deadline, then by the arming sequence. A timers phase works
//! list by list, as Node's does: the list that comes due first gives up every timer due in
//! it before the next list is looked at (see [`Timers::pop_due`]).
//!
//! That each list is sorted needs every deadline to be counted from a clock read at least
//! as late as the one before, which holds: timers are armed and re-armed from the loop's
//! clock read fresh (`Core::fresh_now`). One exception, Node's too: an interval goes back in
//! its list after its callback, counted from the clock read before it, so the timers of its
//! duration that the callback armed are ahead of it though they come due later. A list is
//! only ever looked at from its front, as Node's `listOnTimeout` does, so the interval then
//! waits for them and runs after them.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;
use std::time::{Duration, Instant};

pub(crate) enum TimerCb {
    Once(Box<dyn FnOnce()>),
    Repeat(Rc<RefCell<dyn FnMut()>>),
}

pub(crate) struct TimerEntry {
    pub seq: u64,
    pub delay: Duration,
    pub repeat: bool,
    pub refed: bool,
    pub cb: Option<TimerCb>,
}

/// A hasher for the loop's own keys (timer and immediate ids, which count up, and
/// durations): one rotate, xor and multiply per word. The keys never come from outside
/// the process, so the default hasher's resistance to chosen keys buys nothing, and it
/// cost about a tenth of a timer's arming and firing (perf).
#[derive(Clone, Copy, Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
}

/// A map keyed by the loop's own ids.
pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// A timer's place in its list: `(deadline, seq, id)`.
type Slot = (Instant, u64, u64);

/// The timers of one duration, in the order they were armed.
#[derive(Default)]
struct List {
    slots: VecDeque<Slot>,
    /// The `(deadline, seq)` of this list's live heap entry, if it has one.
    queued: Option<(Instant, u64)>,
}

impl List {
    /// Drop the slots at the front that no longer name their timer's arming (cleared or
    /// re-armed), counting them off `stale`: the front is then the first live timer.
    fn shed_stale_front(&mut self, entries: &IdMap<u64, TimerEntry>, stale: &mut usize) {
        while let Some(&(_, s, id)) = self.slots.front() {
            if entries.get(&id).is_some_and(|e| e.seq == s) {
                break;
            }
            self.slots.pop_front();
            *stale -= 1;
        }
    }
}

#[derive(Default)]
pub(crate) struct Timers {
    /// One entry per list (and stale ones, dropped when met): `(deadline, seq, duration)`.
    heap: BinaryHeap<Reverse<(Instant, u64, Duration)>>,
    lists: IdMap<Duration, List>,
    pub entries: IdMap<u64, TimerEntry>,
    next_seq: u64,
    pub refed: usize,
    /// Slots in the lists that no longer name their timer's arming (cleared or re-armed).
    stale: usize,
    /// The timer [`pop_due`](Self::pop_due) last took out of its list: its removal or
    /// re-arming that follows (for an interval, after its callback, which may arm and clear
    /// other timers meanwhile) leaves no stale slot behind.
    popped: Option<u64>,
    /// The list the timers phase is working through (Node's `listOnTimeout`): its due
    /// timers all run before the next list's.
    current: Option<Duration>,
}

impl Timers {
    /// Arm a new timer (ref'd: it keeps the loop alive until [`set_ref`](Self::set_ref)).
    pub fn insert(&mut self, id: u64, now: Instant, delay: Duration, repeat: bool, cb: TimerCb) {
        self.next_seq += 1;
        let seq = self.next_seq;
        self.entries.insert(
            id,
            TimerEntry {
                seq,
                delay,
                repeat,
                refed: true,
                cb: Some(cb),
            },
        );
        self.refed += 1;
        self.append(now + delay, seq, id, delay);
    }

    /// Re-arm an existing timer from `now` (Node's `refresh`, and interval repeats).
    pub fn rearm(&mut self, id: u64, now: Instant) -> bool {
        let Some(e) = self.entries.get_mut(&id) else {
            return false;
        };
        self.next_seq += 1;
        e.seq = self.next_seq;
        let (seq, delay) = (e.seq, e.delay);
        // The old slot stays behind, stale, unless it was just taken out.
        self.left_behind(id);
        self.append(now + delay, seq, id, delay);
        self.sweep_if_stale();
        true
    }

    /// Put a slot at the end of its duration's list, and queue the list if it was not.
    fn append(&mut self, deadline: Instant, seq: u64, id: u64, delay: Duration) {
        let list = self.lists.entry(delay).or_default();
        // Arming order; deadline order too but for an interval re-armed after its callback
        // (see the module's docs).
        debug_assert!(list.slots.back().is_none_or(|&(_, s, _)| s < seq));
        list.slots.push_back((deadline, seq, id));
        if list.queued.is_none() {
            list.queued = Some((deadline, seq));
            self.heap.push(Reverse((deadline, seq, delay)));
        }
    }

    /// Cancel a timer; its slot is dropped lazily.
    pub fn remove(&mut self, id: u64) -> Option<TimerEntry> {
        let e = self.entries.remove(&id)?;
        if e.refed {
            self.refed -= 1;
        }
        self.left_behind(id);
        self.sweep_if_stale();
        Some(e)
    }

    /// Count the slot timer `id` leaves in its list when cleared or re-armed: none when
    /// [`pop_due`](Self::pop_due) took it out and nothing re-armed it since.
    fn left_behind(&mut self, id: u64) {
        if self.popped == Some(id) {
            self.popped = None;
        } else {
            self.stale += 1;
        }
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

    /// [`next_deadline`](Self::next_deadline) with a list queued: drop the stale heap
    /// entries and list slots on top, and return the first live timer's deadline.
    #[inline(never)]
    fn next_live_deadline(&mut self) -> Option<Instant> {
        while let Some(&Reverse((d, seq, delay))) = self.heap.peek() {
            let Some(list) = self.lists.get_mut(&delay) else {
                self.heap.pop();
                continue;
            };
            if list.queued != Some((d, seq)) {
                // An entry the list no longer has queued.
                self.heap.pop();
                continue;
            }
            list.shed_stale_front(&self.entries, &mut self.stale);
            match list.slots.front() {
                None => {
                    self.heap.pop();
                    self.lists.remove(&delay);
                }
                Some(&(fd, fs, _)) if (fd, fs) == (d, seq) => return Some(d),
                Some(&(fd, fs, _)) => {
                    // The list's first live timer is a later one now: queue that.
                    list.queued = Some((fd, fs));
                    self.heap.pop();
                    self.heap.push(Reverse((fd, fs, delay)));
                }
            }
        }
        None
    }

    /// A timers phase begins: [`pop_due`](Self::pop_due) starts from the list that comes
    /// due first.
    pub fn begin_phase(&mut self) {
        self.current = None;
    }

    /// Take the next timer due at or before `now` out of its list, returning its id.
    ///
    /// As Node's `processTimers`: list by list, in the order the lists come due, every due
    /// timer of a list before the next list's, so timers overdue together (after a slow
    /// callback) do not run in deadline order across durations: with A1 and A2 of 100 ms
    /// due at 100 and 130 ms and B of 20 ms due at 110, all three overdue, the order is
    /// A1, A2, B. (Node orders its lists by the deadline of their first timer when they
    /// were last looked at, which a cleared first timer leaves behind; here by the first
    /// live one.)
    pub fn pop_due(&mut self, now: Instant) -> Option<u64> {
        if let Some(delay) = self.current
            && let Some(id) = self.pop_front_due(delay, now)
        {
            return Some(id);
        }
        self.current = None;
        let d = self.next_deadline()?;
        if d > now {
            return None;
        }
        let &Reverse((_, _, delay)) = self.heap.peek()?;
        let (_, _, id) = self.lists.get_mut(&delay)?.slots.pop_front()?;
        // The list's heap entry now names a slot gone: the next look re-queues the list.
        self.popped = Some(id);
        self.current = Some(delay);
        Some(id)
    }

    /// The list of `delay`'s first live timer, if it is due by `now`, taken out.
    fn pop_front_due(&mut self, delay: Duration, now: Instant) -> Option<u64> {
        let list = self.lists.get_mut(&delay)?;
        list.shed_stale_front(&self.entries, &mut self.stale);
        let &(d, _, id) = list.slots.front()?;
        if d > now {
            return None;
        }
        list.slots.pop_front();
        self.popped = Some(id);
        Some(id)
    }

    /// When stale slots outnumber live timers twice over (a timer re-armed over and over,
    /// say), drop them all: a list only sheds them at its front, so they would otherwise
    /// pile up for as long as the duration.
    fn sweep_if_stale(&mut self) {
        if self.stale < 1024 || self.stale < 2 * self.entries.len() {
            return;
        }
        let entries = &self.entries;
        self.lists.retain(|_, list| {
            list.slots
                .retain(|&(_, s, id)| entries.get(&id).is_some_and(|e| e.seq == s));
            !list.slots.is_empty()
        });
        self.heap.clear();
        for (&delay, list) in &mut self.lists {
            let &(d, s, _) = list.slots.front().expect("emptied lists were dropped");
            list.queued = Some((d, s));
            self.heap.push(Reverse((d, s, delay)));
        }
        self.stale = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cb() -> TimerCb {
        TimerCb::Once(Box::new(|| {}))
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// Every id due by `now`, in firing order.
    fn due(t: &mut Timers, now: Instant) -> Vec<u64> {
        let mut v = Vec::new();
        while let Some(id) = t.pop_due(now) {
            t.remove(id);
            v.push(id);
        }
        v
    }

    #[test]
    fn timers_due_at_one_moment_fire_in_the_order_they_were_armed_across_durations() {
        let mut t = Timers::default();
        let t0 = Instant::now();
        // Ids 1-4 at 30, 10, 20, 10 ms from t0; id 5 armed 10 ms later for 20 ms (due at
        // 30 ms, as id 1, armed before it); id 6 at 10 ms again.
        t.insert(1, t0, ms(30), false, cb());
        t.insert(2, t0, ms(10), false, cb());
        t.insert(3, t0, ms(20), false, cb());
        t.insert(4, t0, ms(10), false, cb());
        t.insert(5, t0 + ms(10), ms(20), false, cb());
        t.insert(6, t0 + ms(10), ms(10), false, cb());
        assert_eq!(t.next_deadline(), Some(t0 + ms(10)));
        assert_eq!(due(&mut t, t0 + ms(5)), Vec::<u64>::new());
        assert_eq!(due(&mut t, t0 + ms(10)), [2, 4]);
        assert_eq!(due(&mut t, t0 + ms(20)), [3, 6]);
        assert_eq!(due(&mut t, t0 + ms(30)), [1, 5]);
        assert_eq!(t.next_deadline(), None);
        assert!(!t.any());
        assert_eq!(t.refed, 0);
    }

    #[test]
    fn a_phase_runs_every_due_timer_of_a_list_before_the_next_list() {
        let mut t = Timers::default();
        let t0 = Instant::now();
        // Ids 1 and 2 of 100 ms, due at 100 and 130; id 3 of 20 ms, due at 110; id 4 of
        // 20 ms due at 140, not yet due at 135.
        t.insert(1, t0, ms(100), false, cb());
        t.insert(2, t0 + ms(30), ms(100), false, cb());
        t.insert(3, t0 + ms(90), ms(20), false, cb());
        t.insert(4, t0 + ms(120), ms(20), false, cb());
        t.begin_phase();
        assert_eq!(due(&mut t, t0 + ms(135)), [1, 2, 3]);
        t.begin_phase();
        assert_eq!(due(&mut t, t0 + ms(140)), [4]);
        assert!(!t.any() || t.next_deadline().is_none());
    }

    #[test]
    fn cleared_and_rearmed_timers_leave_only_their_live_slot() {
        let mut t = Timers::default();
        let t0 = Instant::now();
        for id in 1..=4 {
            t.insert(id, t0, ms(10), false, cb());
        }
        assert!(t.remove(1).is_some());
        assert!(t.remove(1).is_none());
        // Re-armed from 5 ms later: after 3 and 4, which stay at 10 ms.
        assert!(t.rearm(2, t0 + ms(5)));
        assert_eq!(t.next_deadline(), Some(t0 + ms(10)));
        assert_eq!(due(&mut t, t0 + ms(10)), [3, 4]);
        assert_eq!(t.next_deadline(), Some(t0 + ms(15)));
        assert_eq!(due(&mut t, t0 + ms(15)), [2]);
        assert_eq!((t.next_deadline(), t.stale), (None, 0));
    }

    #[test]
    fn a_timer_rearmed_over_and_over_keeps_the_lists_small() {
        let mut t = Timers::default();
        let t0 = Instant::now();
        t.insert(1, t0, ms(30_000), false, cb());
        t.insert(2, t0, ms(50), false, cb());
        for i in 0..100_000 {
            t.rearm(1, t0 + Duration::from_micros(i));
        }
        let slots: usize = t.lists.values().map(|l| l.slots.len()).sum();
        assert!(slots <= 2 * 1024 + 2, "{slots} slots kept for 2 timers");
        assert!(t.heap.len() <= t.lists.len() + 1);
        assert_eq!(due(&mut t, t0 + ms(50)), [2]);
        assert_eq!(
            t.next_deadline(),
            Some(t0 + Duration::from_micros(99_999) + ms(30_000))
        );
    }

    #[test]
    fn an_interval_rearmed_after_its_callback_waits_behind_the_timers_it_armed() {
        let mut t = Timers::default();
        let t0 = Instant::now();
        t.insert(1, t0, ms(20), true, cb());
        t.insert(3, t0, ms(5), false, cb());
        t.begin_phase();
        assert_eq!(t.pop_due(t0 + ms(20)), Some(3));
        t.remove(3);
        assert_eq!(t.pop_due(t0 + ms(20)), Some(1));
        // Interval 1's callback, begun at 20 ms, arms 2 of its duration at 21 ms, and arms
        // and clears 4 (a slot left behind); 1 is re-armed after it, from 20 ms.
        t.insert(2, t0 + ms(21), ms(20), false, cb());
        t.insert(4, t0 + ms(21), ms(5), false, cb());
        t.remove(4);
        assert!(t.rearm(1, t0 + ms(20)));
        assert_eq!(t.stale, 1);
        // Due at 40 ms, 1 waits behind 2 (41 ms) at the front of its list, as in Node.
        t.begin_phase();
        assert_eq!(due(&mut t, t0 + ms(40)), Vec::<u64>::new());
        t.begin_phase();
        assert_eq!(due(&mut t, t0 + ms(41)), [2, 1]);
        assert_eq!((t.next_deadline(), t.stale), (None, 0));
    }

    #[test]
    fn a_list_emptied_and_armed_again_before_a_look_is_queued_once() {
        let mut t = Timers::default();
        let t0 = Instant::now();
        t.insert(1, t0, ms(10), false, cb());
        assert_eq!(t.pop_due(t0 + ms(10)), Some(1));
        t.remove(1);
        // Its list is empty, its heap entry not yet dropped: a new timer of the same
        // duration goes in that list behind the same entry, which the next look re-queues.
        t.insert(2, t0 + ms(10), ms(10), false, cb());
        t.insert(3, t0 + ms(11), ms(10), false, cb());
        assert_eq!(t.heap.len(), 1);
        assert_eq!(t.next_deadline(), Some(t0 + ms(20)));
        assert_eq!(due(&mut t, t0 + ms(30)), [2, 3]);
        assert!(t.heap.len() <= 1);
    }
}
