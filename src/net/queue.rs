//! `Queue`: a socket's FIFO (its write queue, its buffered reads) that holds nothing while
//! it is empty.
//!
//! A `VecDeque` keeps a 32-byte header in place even when empty. A socket has two queues,
//! and both are empty almost all the time (a write goes to the kernel at once, a flowing
//! read goes straight to a listener), so the headers were 64 of the bytes that every
//! message's state access walks over. Here an empty queue is one null pointer (8 bytes),
//! the deque lives in a box only while something is queued, and [`release`](Queue::release)
//! gives it up once emptied, as the socket did with its deques before.
//!
//! A released box goes to a small per-thread stock of its item type ([`Recycled`]) rather
//! than back to the allocator, and the next queue to need one takes it from there. A bulk
//! writer queues the part of each write the kernel did not take and empties the queue when
//! it drains, once per write: with a fresh box each time, that was two allocations and two
//! frees per write (perf put 8-9% of a bulk sender's user samples in malloc and free). The
//! stock is bounded in count and in the size of what it keeps, so it holds a few KiB at
//! most per thread, and an idle connection still holds no buffer.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::ops::RangeBounds;
use std::thread::LocalKey;

/// How many released boxes a thread keeps per item type.
const STOCK: usize = 8;
/// A released deque that can hold more items than this is freed, not kept.
const KEEP_CAPACITY: usize = 16;

/// A thread's stock of released, empty deques of one item type.
pub(crate) type Stock<T> = RefCell<Vec<Box<VecDeque<T>>>>;

/// An item type whose queues recycle their boxes through a per-thread [`Stock`].
pub(crate) trait Recycled: Sized + 'static {
    /// The thread's stock for this type.
    fn stock() -> &'static LocalKey<Stock<Self>>;
}

/// Implement [`Recycled`] for types, each with a thread-local stock of its own.
macro_rules! recycled {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::net::queue::Recycled for $t {
            fn stock() -> &'static ::std::thread::LocalKey<$crate::net::queue::Stock<Self>> {
                ::std::thread_local! {
                    static STOCK: $crate::net::queue::Stock<$t> =
                        const { ::std::cell::RefCell::new(::std::vec::Vec::new()) };
                }
                &STOCK
            }
        }
    )*};
}
pub(crate) use recycled;

/// A FIFO that is one null pointer while empty and unused.
// The box is the point: 8 bytes in place instead of the deque's 32.
#[allow(clippy::box_collection)]
pub(crate) struct Queue<T>(Option<Box<VecDeque<T>>>);

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Queue(None)
    }
}

impl<T: Recycled> Queue<T> {
    /// Whether nothing is queued.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|q| q.is_empty())
    }

    /// How many items are queued.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |q| q.len())
    }

    /// Whether the queue holds an allocation (empty or not).
    #[cfg(test)]
    pub(crate) fn is_allocated(&self) -> bool {
        self.0.is_some()
    }

    /// Whether the queue holds no allocation: dropping it frees nothing.
    #[inline]
    pub(crate) fn is_unallocated(&self) -> bool {
        self.0.is_none()
    }

    /// Give up the allocation if nothing is queued: to the thread's stock while it has
    /// room and the deque is small, else to the allocator.
    pub(crate) fn release(&mut self) {
        if !self.is_empty() {
            return;
        }
        if let Some(q) = self.0.take()
            && q.capacity() <= KEEP_CAPACITY
        {
            // At thread exit the stock may be gone: the box is then simply dropped.
            let _ = T::stock().try_with(|s| {
                if let Ok(mut s) = s.try_borrow_mut()
                    && s.len() < STOCK
                {
                    s.push(q);
                }
            });
        }
    }

    fn deque(&mut self) -> &mut VecDeque<T> {
        self.0.get_or_insert_with(|| {
            T::stock()
                .try_with(|s| s.try_borrow_mut().ok().and_then(|mut s| s.pop()))
                .ok()
                .flatten()
                .unwrap_or_default()
        })
    }

    /// Add at the back.
    pub(crate) fn push_back(&mut self, t: T) {
        self.deque().push_back(t);
    }

    /// Add at the front.
    pub(crate) fn push_front(&mut self, t: T) {
        self.deque().push_front(t);
    }

    /// Take from the front.
    pub(crate) fn pop_front(&mut self) -> Option<T> {
        self.0.as_mut()?.pop_front()
    }

    /// The first item.
    pub(crate) fn front(&self) -> Option<&T> {
        self.0.as_ref()?.front()
    }

    /// The last item.
    pub(crate) fn back_mut(&mut self) -> Option<&mut T> {
        self.0.as_mut()?.back_mut()
    }

    /// Front to back.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.0.iter().flat_map(|q| q.iter())
    }

    /// Front to back, mutably.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.0.iter_mut().flat_map(|q| q.iter_mut())
    }

    /// Remove `range` (all of it is removed even if the iterator is dropped early).
    pub(crate) fn drain<R: RangeBounds<usize>>(&mut self, range: R) -> impl Iterator<Item = T> {
        self.0
            .as_mut()
            .map(|q| q.drain(range))
            .into_iter()
            .flatten()
    }

    /// Remove everything (the allocation stays until [`release`](Queue::release)).
    pub(crate) fn clear(&mut self) {
        if let Some(q) = self.0.as_mut() {
            q.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    recycled!(i32, u32, u64, String);

    #[test]
    fn an_empty_queue_is_one_pointer_and_holds_nothing_until_used() {
        assert_eq!(size_of::<Queue<u64>>(), size_of::<usize>());
        let mut q: Queue<u32> = Queue::default();
        assert!(q.is_empty() && !q.is_allocated());
        assert_eq!((q.len(), q.pop_front(), q.iter().count()), (0, None, 0));
        assert_eq!(q.drain(..).count(), 0);
        q.clear();
        q.release();
        assert!(!q.is_allocated());
    }

    #[test]
    fn it_is_a_fifo_and_release_frees_only_when_empty() {
        let mut q = Queue::default();
        q.push_back(2);
        q.push_back(3);
        q.push_front(1);
        assert_eq!(q.iter().copied().collect::<Vec<_>>(), [1, 2, 3]);
        for x in q.iter_mut() {
            *x *= 10;
        }
        *q.back_mut().expect("three") += 1;
        q.release();
        assert!(q.is_allocated(), "not empty: kept");
        assert_eq!(q.drain(..2).collect::<Vec<_>>(), [10, 20]);
        assert_eq!((q.len(), q.pop_front(), q.is_empty()), (1, Some(31), true));
        assert!(q.is_allocated());
        q.release();
        assert!(!q.is_allocated());
        q.push_back(7);
        q.clear();
        assert!(q.is_empty());
    }

    #[test]
    fn a_released_box_is_reused_by_the_next_queue_and_the_stock_is_bounded() {
        let stocked = || String::stock().with(|s| s.borrow().len());
        let mut a: Queue<String> = Queue::default();
        a.push_back("x".into());
        let first = a.0.as_deref().map(|q| q as *const VecDeque<String>);
        a.pop_front();
        a.release();
        assert_eq!((a.is_allocated(), stocked()), (false, 1));
        let mut b: Queue<String> = Queue::default();
        b.push_back("y".into());
        assert_eq!(b.0.as_deref().map(|q| q as *const _), first, "the same box");
        assert_eq!(stocked(), 0);
        // A big deque goes back to the allocator; the stock never holds more than STOCK.
        for _ in 0..KEEP_CAPACITY {
            b.push_back("z".into());
        }
        b.clear();
        b.release();
        assert_eq!((b.is_allocated(), stocked()), (false, 0));
        let mut qs: Vec<Queue<String>> = (0..STOCK + 3).map(|_| Queue::default()).collect();
        for q in &mut qs {
            q.push_back(String::new());
            q.clear();
        }
        for q in &mut qs {
            q.release();
        }
        assert_eq!(stocked(), STOCK);
    }
}
