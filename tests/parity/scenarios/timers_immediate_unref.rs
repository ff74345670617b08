//! ref and unref of immediates (ports of Node's test-timers-immediate-unref,
//! test-timers-immediate-unref-simple, test-timers-immediate-unref-nested-once): a chain of
//! ref and unref ending in ref keeps the immediate; an unref'd immediate runs while a timer
//! keeps the loop alive; an unref'd immediate that clears itself and another, then refs
//! both, keeps nothing alive; an unref'd immediate queued last never runs.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::Immediate;

fn second() {
    out!("second");
    let a: Rc<Cell<Option<Immediate>>> = Rc::default();
    let b: Rc<Cell<Option<Immediate>>> = Rc::default();
    let (a2, b2) = (a.clone(), b.clone());
    a.set(Some(
        nodenet::set_immediate(move || {
            out!("unref'd A clears A and B, then refs both");
            for h in [a2.get(), b2.get()].into_iter().flatten() {
                nodenet::clear_immediate(h);
            }
            for h in [a2.get(), b2.get()].into_iter().flatten() {
                h.ref_();
            }
        })
        .unref(),
    ));
    b.set(Some(nodenet::set_immediate(|| out!("B (never)")).unref()));
    nodenet::set_immediate(|| {
        out!("last ref'd immediate queues an unref'd one");
        nodenet::set_immediate(|| out!("unref'd immediate alone (never)")).unref();
    });
}

pub fn scenario() {
    nodenet::clear_immediate(nodenet::set_immediate(|| out!("cleared (never)")).unref());
    nodenet::set_immediate(|| {
        out!("immediate ref, unref, unref, ref: runs");
        nodenet::set_immediate(|| out!("unref'd immediate runs: the 20 ms timer keeps the loop"))
            .unref();
        nodenet::set_timeout(20, || {
            out!("timer 20");
            nodenet::set_immediate(second);
        });
    })
    .ref_()
    .unref()
    .unref()
    .ref_();
}
