//! Timers overdue together (a slow timer callback kept the loop): Node runs them list by
//! list, a list being the timers of one delay, in the order the lists come due, and every
//! due timer of a list before the next list; not by deadline across lists. A1 and A2
//! (100 ms, due at about 100 and 130) and B (20 ms, armed at about 90, due at about 110)
//! are all due when the slow callback returns: A1, A2, then B, though B's deadline comes
//! before A2's.
use super::slow_util::busy;

pub fn scenario() {
    nodenet::set_timeout(100, || out!("A1"));
    busy(30);
    nodenet::set_timeout(100, || out!("A2"));
    nodenet::set_timeout(60, || {
        out!("slow");
        nodenet::set_timeout(20, || out!("B"));
        busy(60);
    });
}
