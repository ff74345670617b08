//! Process warnings, as Node's `process.emitWarning()` and `process.on('warning')`.
//!
//! Node warns, without failing, where a program probably has a bug: more listeners of one
//! event than an emitter's limit (`MaxListenersExceededWarning`, see
//! [`Socket::set_max_listeners`](crate::net::Socket::set_max_listeners)), a timer delay that
//! does not fit in 32 bits (`TimeoutOverflowWarning`). nodenet gives the same warnings, at
//! the same moments and with the same text:
//!
//! - a warning is delivered on the next tick after the call that caused it, as
//!   `process.emitWarning` emits its `warning` event;
//! - it goes to every listener registered with [`on_warning`] on the loop's thread, in
//!   registration order;
//! - and it is printed to standard error as `(nodenet:PID) Name: message`, unless the
//!   environment has `NODE_NO_WARNINGS=1`, Node's own switch. As in Node, a listener does
//!   not stop the printing.
//!
//! A loop is a process here: the listeners belong to the thread that registered them, and
//! are dropped when that thread's loop ends. Outside a running loop a warning is delivered
//! at once.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// A warning (Node's `Error` object given to `process.on('warning')`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The kind of warning, Node's `warning.name` (`"MaxListenersExceededWarning"`).
    pub name: String,
    /// What happened, Node's `warning.message`.
    pub message: String,
    /// For `MaxListenersExceededWarning`: the event's name, Node's `warning.type`.
    pub event: Option<&'static str>,
    /// For `MaxListenersExceededWarning`: how many listeners the event has, Node's
    /// `warning.count`.
    pub count: Option<usize>,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
    }
}

/// Identifies a listener registered with [`on_warning`], for [`off_warning`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WarningListenerId(u64);

type WarningFn = Rc<RefCell<dyn FnMut(&Warning)>>;

thread_local! {
    static LISTENERS: RefCell<Vec<(u64, WarningFn)>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u64> = const { Cell::new(1) };
}

/// Call `f` with every warning this thread's loop gives from now on (Node's
/// `process.on('warning', f)`).
///
/// ```
/// use std::cell::RefCell;
/// use std::rc::Rc;
///
/// let seen = Rc::new(RefCell::new(Vec::new()));
/// let s = seen.clone();
/// nodenet::run(move || {
///     nodenet::process::on_warning(move |w| s.borrow_mut().push(w.to_string()));
///     nodenet::process::emit_warning("ExampleWarning", "something looks wrong");
/// })
/// .unwrap();
/// assert_eq!(*seen.borrow(), ["ExampleWarning: something looks wrong"]);
/// ```
pub fn on_warning(f: impl FnMut(&Warning) + 'static) -> WarningListenerId {
    let id = NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    LISTENERS.with(|l| l.borrow_mut().push((id, Rc::new(RefCell::new(f)))));
    crate::rt::on_teardown(clear_listeners);
    WarningListenerId(id)
}

/// Remove a listener added with [`on_warning`]; `true` if it was there.
pub fn off_warning(id: WarningListenerId) -> bool {
    LISTENERS.with(|l| {
        let mut l = l.borrow_mut();
        let before = l.len();
        l.retain(|(i, _)| *i != id.0);
        l.len() != before
    })
}

fn clear_listeners() {
    let gone = LISTENERS.with(|l| std::mem::take(&mut *l.borrow_mut()));
    drop(gone);
}

/// Give a warning of kind `name` (Node's `process.emitWarning(message, name)`): on the
/// next tick it reaches the [`on_warning`] listeners and standard error.
pub fn emit_warning(name: &str, message: &str) {
    emit(Warning {
        name: name.to_string(),
        message: message.to_string(),
        event: None,
        count: None,
    });
}

/// Deliver `w` on the next tick (at once with no loop running).
pub(crate) fn emit(w: Warning) {
    if crate::rt::with_core(|_| ()).is_some() {
        crate::rt::next_tick(move || deliver(&w));
    } else {
        deliver(&w);
    }
}

fn deliver(w: &Warning) {
    if std::env::var_os("NODE_NO_WARNINGS").is_none_or(|v| v != "1") {
        eprintln!("(nodenet:{}) {w}", std::process::id());
    }
    // A snapshot, as an emit's: listeners may add or remove listeners.
    let listeners: Vec<WarningFn> =
        LISTENERS.with(|l| l.borrow().iter().map(|(_, f)| f.clone()).collect());
    for f in listeners {
        // A listener that gives a warning itself is not re-entered by it.
        if let Ok(mut f) = f.try_borrow_mut() {
            f(w);
        }
    }
}

/// The most a timer's delay may be, in milliseconds (Node's `TIMEOUT_MAX`, 2^31 - 1).
pub(crate) const TIMEOUT_MAX: u64 = 0x7fff_ffff;

/// Node's `TimeoutOverflowWarning` for a delay over [`TIMEOUT_MAX`]; `then` ends the
/// message with what was done instead.
pub(crate) fn timeout_overflow(ms: u64, then: &str) {
    emit(Warning {
        name: "TimeoutOverflowWarning".into(),
        message: format!("{ms} does not fit into a 32-bit signed integer.\n{then}"),
        event: None,
        count: None,
    });
}

/// Node's `MaxListenersExceededWarning`: `count` listeners of `event` on a `kind` handle,
/// over its limit of `max`.
pub(crate) fn max_listeners_exceeded(kind: &str, event: &'static str, count: usize, max: usize) {
    emit(Warning {
        name: "MaxListenersExceededWarning".into(),
        message: format!(
            "Possible EventEmitter memory leak detected. {count} {event} listeners added to \
             [{kind}]. MaxListeners is {max}. Use emitter.setMaxListeners() to increase limit"
        ),
        event: Some(event),
        count: Some(count),
    });
}
