//! `AbortController` and `AbortSignal`: Node's (the web platform's) way to cancel.
//!
//! A controller owns the right to abort; its [`signal`](AbortController::signal) is what
//! it hands out. Code that can be cancelled takes the signal: `listen` with
//! [`ListenOptions::signal`](crate::net::ListenOptions::signal) closes its server when the
//! signal aborts, a socket made with a `signal` ([`SocketOptions`](crate::net::SocketOptions),
//! [`ConnectOptions`](crate::net::ConnectOptions)) is destroyed with an `AbortError`.
//!
//! The rules kept from Node:
//! - a signal aborts once: the first `abort` sets its reason and calls its listeners, in
//!   the order they were added, synchronously; a later `abort` does nothing;
//! - the reason is the one given, else an `AbortError` ("This operation was aborted");
//!   [`AbortSignal::timeout`]'s is a `TimeoutError`;
//! - a listener removed before the abort (or by an earlier listener during it) is not
//!   called, and one added to a signal that has already aborted is never called (check
//!   [`aborted`](AbortSignal::aborted) first, as Node's own users do);
//! - [`AbortSignal::timeout`]'s timer does not keep the loop alive.
//!
//! # Where it sits
//! Its own module, above [`rt`] and below [`net`](crate::net): a signal knows
//! nothing of sockets or servers (they register listeners on it), and nothing of the
//! loop either, except that [`AbortSignal::timeout`] arms one of the loop's timers. In
//! `rt` it would sit among the loop's phases and queues while being none of them; in
//! `net` it would be a socket option rather than the general tool Node makes it.
//!
//! A signal is an `Rc` shared by its controller and its holders, and lives on one
//! thread, as everything on a nodenet loop. Listeners are the holders' closures; a socket
//! or server captures only its own `Copy` handle and removes its listener once it is done
//! with the signal, so a long-lived signal given to many sockets keeps nothing of theirs.
//!
//! ```
//! use std::cell::Cell;
//! use std::rc::Rc;
//! use nodenet::AbortController;
//!
//! let controller = AbortController::new();
//! let signal = controller.signal();
//! let calls = Rc::new(Cell::new(0));
//! let c = calls.clone();
//! signal.on_abort(move |reason| {
//!     assert_eq!(reason.name(), "AbortError");
//!     c.set(c.get() + 1);
//! });
//! controller.abort();
//! controller.abort(); // once aborted, a signal stays as it is
//! assert!(signal.aborted());
//! assert_eq!(calls.get(), 1);
//! assert_eq!(signal.listener_count(), 0);
//! ```

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use crate::error::{Error, codes};
use crate::rt;

/// Identifies a listener added with [`AbortSignal::on_abort`], for
/// [`AbortSignal::off`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AbortListener(u64);

type Callback = Box<dyn FnOnce(Error)>;

#[derive(Default)]
struct Inner {
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    reason: Option<Error>,
    listeners: Vec<(u64, Callback)>,
    next_id: u64,
}

/// The cancelling side (Node's `AbortController`): [`abort`](AbortController::abort)
/// aborts its [`signal`](AbortController::signal).
///
/// ```
/// use nodenet::{AbortController, Error};
/// let controller = AbortController::new();
/// controller.abort_with(Error::other("shutting down"));
/// let signal = controller.signal();
/// assert_eq!(signal.reason().map(|r| r.message().to_string()), Some("shutting down".into()));
/// ```
#[derive(Clone, Debug, Default)]
pub struct AbortController {
    signal: AbortSignal,
}

impl AbortController {
    /// A controller and its signal, not aborted.
    pub fn new() -> AbortController {
        AbortController::default()
    }

    /// The signal to hand to what may be cancelled (a clone shares the same signal).
    pub fn signal(&self) -> AbortSignal {
        self.signal.clone()
    }

    /// Abort with the default reason, an `AbortError` DOMException (code `ABORT_ERR`,
    /// "This operation was aborted"). Does nothing if the signal has already aborted.
    pub fn abort(&self) {
        self.signal.abort_now(codes::abort_reason());
    }

    /// Abort with `reason` (Node's `abort(reason)`): a socket destroyed by the signal
    /// gets an `AbortError` whose [`cause`](Error::cause) is this reason. Does nothing
    /// if the signal has already aborted.
    pub fn abort_with(&self, reason: Error) {
        self.signal.abort_now(reason);
    }
}

/// The listening side (Node's `AbortSignal`): whether and why it aborted, and listeners
/// to call when it does. Cloning shares the signal.
#[derive(Clone, Default)]
pub struct AbortSignal {
    inner: Rc<Inner>,
}

impl fmt::Debug for AbortSignal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.inner.state.borrow();
        f.debug_struct("AbortSignal")
            .field("aborted", &st.reason.is_some())
            .field("listeners", &st.listeners.len())
            .finish()
    }
}

impl AbortSignal {
    /// A signal that aborts by itself after `ms` milliseconds with a `TimeoutError`
    /// (code `TIMEOUT_ERR`, "The operation was aborted due to timeout"), as Node's
    /// `AbortSignal.timeout(ms)`. Its timer does not keep the loop alive; it holds the
    /// signal until it fires (so listeners are called even if every other clone was
    /// dropped) or the loop ends. Outside a loop no timer can be armed: the signal then
    /// never aborts.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// let start = Instant::now();
    /// nodenet::run(|| {
    ///     // Nothing else keeps the loop alive: it ends at once, the timer unfired.
    ///     let signal = nodenet::AbortSignal::timeout(10_000);
    ///     signal.on_abort(|_| unreachable!());
    /// })?;
    /// assert!(start.elapsed() < Duration::from_secs(5));
    /// # Ok::<(), nodenet::Error>(())
    /// ```
    pub fn timeout(ms: u64) -> AbortSignal {
        let signal = AbortSignal::default();
        let fired = signal.clone();
        rt::set_timeout(ms, move || fired.abort_now(codes::timeout_reason())).unref();
        signal
    }

    /// Whether the signal has aborted (Node's `aborted`).
    pub fn aborted(&self) -> bool {
        self.inner.state.borrow().reason.is_some()
    }

    /// Why it aborted (Node's `reason`), `None` while it has not.
    pub fn reason(&self) -> Option<Error> {
        self.inner.state.borrow().reason.clone()
    }

    /// Node's `throwIfAborted()`: `Err(reason)` once the signal has aborted.
    pub fn throw_if_aborted(&self) -> Result<(), Error> {
        match self.reason() {
            Some(r) => Err(r),
            None => Ok(()),
        }
    }

    /// Call `f` with the reason when the signal aborts (Node's
    /// `addEventListener('abort', f)`). On a signal that has already aborted, `f` is
    /// dropped and never called.
    pub fn on_abort(&self, f: impl FnOnce(Error) + 'static) -> AbortListener {
        let mut st = self.inner.state.borrow_mut();
        let id = st.next_id;
        st.next_id += 1;
        if st.reason.is_some() {
            // Dropped with the signal released: its captures may use the signal.
            drop(st);
            drop(f);
        } else {
            st.listeners.push((id, Box::new(f)));
        }
        AbortListener(id)
    }

    /// Remove a listener (Node's `removeEventListener`); one already called or removed
    /// is ignored.
    pub fn off(&self, id: AbortListener) {
        let gone = {
            let mut st = self.inner.state.borrow_mut();
            st.listeners
                .iter()
                .position(|(i, _)| *i == id.0)
                .map(|at| st.listeners.remove(at))
        };
        // The closure is dropped with the signal released: its captures may use it.
        drop(gone);
    }

    /// How many listeners wait for the abort (Node's `getEventListeners(signal,
    /// 'abort').length`).
    pub fn listener_count(&self) -> usize {
        self.inner.state.borrow().listeners.len()
    }

    /// Set the reason and call the listeners one by one, with no borrow held, so that a
    /// listener may remove others (they are then not called) or abort again (nothing).
    fn abort_now(&self, reason: Error) {
        {
            let mut st = self.inner.state.borrow_mut();
            if st.reason.is_some() {
                return;
            }
            st.reason = Some(reason.clone());
        }
        loop {
            let next = {
                let mut st = self.inner.state.borrow_mut();
                if st.listeners.is_empty() {
                    None
                } else {
                    Some(st.listeners.remove(0).1)
                }
            };
            match next {
                Some(f) => f(reason.clone()),
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn counter() -> (Rc<Cell<u32>>, impl Fn() -> u32) {
        let c = Rc::new(Cell::new(0));
        let r = c.clone();
        (c, move || r.get())
    }

    #[test]
    fn abort_calls_each_listener_once_in_order_and_keeps_the_first_reason() {
        let ctl = AbortController::new();
        let sig = ctl.signal();
        let order = Rc::new(RefCell::new(Vec::new()));
        for n in 0..3 {
            let o = order.clone();
            sig.on_abort(move |r| o.borrow_mut().push((n, r.message().to_string())));
        }
        ctl.abort_with(Error::other("first"));
        ctl.abort_with(Error::other("second"));
        ctl.abort();
        let want: Vec<(i32, String)> = (0..3).map(|n| (n, "first".to_string())).collect();
        assert_eq!(*order.borrow(), want);
        assert_eq!(
            sig.reason().map(|r| r.message().to_string()),
            Some("first".into())
        );
        assert_eq!(sig.listener_count(), 0);
    }

    #[test]
    fn the_default_reason_is_an_abort_error_dom_exception() {
        let ctl = AbortController::new();
        assert!(ctl.signal().reason().is_none());
        assert!(ctl.signal().throw_if_aborted().is_ok());
        ctl.abort();
        let r = ctl.signal().reason().expect("aborted");
        assert_eq!(r.name(), "AbortError");
        assert_eq!(r.message(), "This operation was aborted");
        assert_eq!(ctl.signal().throw_if_aborted(), Err(r));
    }

    #[test]
    fn a_removed_listener_is_not_called_and_not_kept() {
        let ctl = AbortController::new();
        let sig = ctl.signal();
        let (c, calls) = counter();
        let id = sig.on_abort(move |_| c.set(c.get() + 1));
        assert_eq!(sig.listener_count(), 1);
        sig.off(id);
        sig.off(id);
        assert_eq!(sig.listener_count(), 0);
        ctl.abort();
        assert_eq!(calls(), 0);
    }

    #[test]
    fn a_listener_may_remove_a_later_one_or_abort_again() {
        let ctl = AbortController::new();
        let sig = ctl.signal();
        let (c, calls) = counter();
        let later = Rc::new(Cell::new(None));
        let (l, s, again) = (later.clone(), sig.clone(), ctl.clone());
        sig.on_abort(move |_| {
            if let Some(id) = l.get() {
                s.off(id);
            }
            again.abort();
        });
        later.set(Some(sig.on_abort(move |_| c.set(c.get() + 1))));
        ctl.abort();
        assert_eq!(calls(), 0);
        assert_eq!(sig.listener_count(), 0);
    }

    #[test]
    fn a_listener_added_after_the_abort_is_dropped_at_once() {
        let ctl = AbortController::new();
        ctl.abort();
        let dropped = Rc::new(Cell::new(false));
        struct Flag(Rc<Cell<bool>>);
        impl Drop for Flag {
            fn drop(&mut self) {
                self.0.set(true);
            }
        }
        let flag = Flag(dropped.clone());
        ctl.signal().on_abort(move |_| {
            let _keep = &flag;
            unreachable!("called after the abort");
        });
        assert!(dropped.get());
        assert_eq!(ctl.signal().listener_count(), 0);
    }

    #[test]
    fn a_listener_is_dropped_once_called() {
        let ctl = AbortController::new();
        let token = Rc::new(());
        let t = token.clone();
        ctl.signal().on_abort(move |_| drop(t));
        assert_eq!(Rc::strong_count(&token), 2);
        ctl.abort();
        assert_eq!(Rc::strong_count(&token), 1);
    }

    #[test]
    fn timeout_aborts_with_a_timeout_error_while_the_loop_lives() {
        let seen = Rc::new(RefCell::new(None));
        let s = seen.clone();
        crate::run(move || {
            // Listened to, then dropped: the timer still holds the signal.
            AbortSignal::timeout(5).on_abort(move |r| *s.borrow_mut() = Some(r));
            // Something else keeps the loop alive past the signal's timer.
            crate::set_timeout(30, || {});
        })
        .expect("run");
        let r = seen.borrow_mut().take().expect("the timeout aborted");
        assert_eq!((r.name(), r.code()), ("TimeoutError", "TIMEOUT_ERR"));
        assert_eq!(r.message(), "The operation was aborted due to timeout");
    }

    #[test]
    fn timeout_alone_does_not_keep_the_loop_alive() {
        let start = std::time::Instant::now();
        let sig = Rc::new(RefCell::new(None));
        let s = sig.clone();
        crate::run(move || *s.borrow_mut() = Some(AbortSignal::timeout(2_000))).expect("run");
        assert!(start.elapsed() < std::time::Duration::from_millis(1_000));
        let sig = sig.borrow_mut().take().expect("made");
        assert!(!sig.aborted());
    }
}
