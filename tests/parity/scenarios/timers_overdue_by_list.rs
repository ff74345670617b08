//! Timers overdue together (a slow timer callback kept the loop): Node runs them list by
//! list, a list being the timers of one delay, in the order the lists come due, and every
//! due timer of a list before the next list; not by deadline across lists. A1 and A2
//! (100 ms, due at about 100 and 130 ms) and B (60 ms, armed by a timer due at 50 ms, so
//! due at about 110) are all due when that timer's slow callback (150 ms) returns: A1, A2,
//! then B, though B's deadline comes before A2's. (A timer due well before A1 arms B, so a
//! loaded machine's late timers do not change the order.)
use super::slow_util::busy;

pub fn scenario() {
    nodenet::set_timeout(100, || out!("A1"));
    busy(30);
    nodenet::set_timeout(100, || out!("A2"));
    nodenet::set_timeout(20, || {
        out!("slow");
        nodenet::set_timeout(60, || out!("B"));
        busy(150);
    });
}
