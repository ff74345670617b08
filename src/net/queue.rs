//! `Queue`: a socket's FIFO (its write queue, its buffered reads) that holds nothing while
//! it is empty.
//!
//! A `VecDeque` keeps a 32-byte header in place even when empty. A socket has two queues,
//! and both are empty almost all the time (a write goes to the kernel at once, a flowing
//! read goes straight to a listener), so the headers were 64 of the bytes that every
//! message's state access walks over. Here an empty queue is one null pointer (8 bytes),
//! the deque lives in a box only while something is queued, and [`release`](Queue::release)
//! frees it once emptied, as the socket did with its deques before.

use std::collections::VecDeque;
use std::ops::RangeBounds;

/// A FIFO that is one null pointer while empty and unused.
// The box is the point: 8 bytes in place instead of the deque's 32.
#[allow(clippy::box_collection)]
pub(crate) struct Queue<T>(Option<Box<VecDeque<T>>>);

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Queue(None)
    }
}

impl<T> Queue<T> {
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

    /// Free the allocation if nothing is queued.
    pub(crate) fn release(&mut self) {
        if self.is_empty() {
            self.0 = None;
        }
    }

    fn deque(&mut self) -> &mut VecDeque<T> {
        self.0.get_or_insert_with(Box::default)
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
}
