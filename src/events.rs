//! Typed events with Node's `EventEmitter` rules.
//!
//! Every event is a zero-sized marker type named as Node names the event ([`Data`],
//! [`Connection`], [`Close`], ...). A handle type says which events it emits and what each
//! brings by implementing [`Emits`]: a `Socket`'s [`Close`] brings `had_error: bool`, a
//! `Server`'s brings `()`. So `socket.on(Data, |chunk| ...)` is checked by the compiler and
//! the closure's argument type is inferred.
//!
//! The rules kept from Node:
//! - listeners run in registration order (prepended ones first), synchronously, on emit;
//! - an emit works on a snapshot: a listener added during an emit is not called by it, one
//!   removed during an emit is still called by it;
//! - a `once` listener is removed before it is called;
//! - an `error` emitted with no listener is an uncaught exception: the loop stops and
//!   `run` returns the error;
//! - an event with more listeners than the emitter's limit (10 unless changed with
//!   `set_max_listeners` or [`set_default_max_listeners`]) gives one
//!   `MaxListenersExceededWarning` (see [`crate::process`]), again only after its
//!   listeners went down to one or none. Node's `Socket` has a listener of its own on
//!   `end`, which Node counts: so does nodenet, in `listener_count(End)` and towards the
//!   limit, though it has no such listener to remove.
//!
//! Where nodenet differs: a listener that emits its own event (directly or through another
//! listener) is skipped by that nested emit, where Node calls it again (a running `FnMut`
//! cannot be re-entered); and `remove_all_listeners(End)` leaves a socket's own handling of
//! `end`, whose listener Node's removes (its count then reads 0 where nodenet's reads 1).
//! `fuzz_emitter` in the parity suite compares random listener scripts with Node 24 under
//! the first difference.
//!
//! No borrow of any internal state is held while a listener runs, so a listener may call any
//! method of any handle, including adding and removing listeners on its own emitter.
//! Each listener is one shared box (from a per-thread pool, see `listener`) in one short
//! list per handle; an emit of an event with one listener allocates nothing (see
//! `EventTable` for how the snapshot rule is kept).

use std::any::Any;
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Node's `EventEmitter.defaultMaxListeners` at start.
const INITIAL_MAX_LISTENERS: usize = 10;

static DEFAULT_MAX_LISTENERS: AtomicUsize = AtomicUsize::new(INITIAL_MAX_LISTENERS);

/// The listener limit of every emitter that has not set its own (Node's
/// `EventEmitter.defaultMaxListeners`): 10 until changed. 0 means no limit.
///
/// ```
/// assert_eq!(nodenet::net::events::default_max_listeners(), 10);
/// ```
pub fn default_max_listeners() -> usize {
    DEFAULT_MAX_LISTENERS.load(Ordering::Relaxed)
}

/// Set the listener limit of every emitter that has not set its own, in the whole process
/// (Node's `EventEmitter.defaultMaxListeners = n`); 0 means no limit. Past the limit, an
/// event's next listener gives a `MaxListenersExceededWarning` (see [`crate::process`]);
/// nothing is refused.
///
/// ```
/// use nodenet::net::events;
///
/// events::set_default_max_listeners(42);
/// assert_eq!(events::default_max_listeners(), 42);
/// events::set_default_max_listeners(10);
/// ```
pub fn set_default_max_listeners(n: usize) {
    DEFAULT_MAX_LISTENERS.store(n, Ordering::Relaxed);
}

/// Identifies a listener, for [`off`](crate::net::Socket::off).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ListenerId(u64);

/// Marker trait for event types.
pub trait Event: Copy + 'static {}

/// Says that a handle emits event `E`, with argument type `Arg`.
pub trait Emits<E: Event> {
    /// What a listener of this event receives.
    type Arg: Clone + 'static;
    /// The event's slot in the handle's event table.
    #[doc(hidden)]
    const SLOT: u8;
    /// Node's name of the event (`"data"`).
    const NAME: &'static str;
}

macro_rules! events {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {
        $( $(#[$m])* #[derive(Clone, Copy, Debug, PartialEq, Eq)] pub struct $name; impl Event for $name {} )*
    };
}

events! {
    /// `'connection'`: a server accepted a socket.
    Connection,
    /// `'listening'`: a server is bound and listening.
    Listening,
    /// `'close'`: a server or socket is fully closed.
    Close,
    /// `'error'`: something failed; with no listener, `run` returns the error.
    Error,
    /// `'drop'`: a server refused a connection over `max_connections`.
    Drop,
    /// `'data'`: a chunk arrived (bytes, or a string once an encoding is set).
    Data,
    /// `'readable'`: data is buffered for `read()`, or the readable side came to its end
    /// (`read()` then returns `None` and `end` follows). A listener stops the flow of
    /// `data` events: each `read()` that returns a chunk emits it as `data`.
    Readable,
    /// `'pause'`: `pause()` stopped a socket that was not paused.
    Pause,
    /// `'resume'`: the tick after `resume()` (or a first `data` listener), before the
    /// socket's buffered data flows.
    Resume,
    /// `'end'`: the peer ended its side and all data was consumed.
    End,
    /// `'finish'`: our side ended and every write was flushed.
    Finish,
    /// `'drain'`: the write queue emptied after a `write` returned `false`.
    Drain,
    /// `'connect'`: a client socket connected.
    Connect,
    /// `'ready'`: the socket is ready to use (right after `connect`).
    Ready,
    /// `'timeout'`: the socket has been idle for the time given to `set_timeout`.
    Timeout,
    /// `'lookup'`: a host name was resolved (or failed to be).
    Lookup,
    /// `'connectionAttempt'`: a connect to one address starts.
    ConnectionAttempt,
    /// `'connectionAttemptFailed'`: a connect to one address failed.
    ConnectionAttemptFailed,
    /// `'connectionAttemptTimeout'`: a happy-eyeballs attempt ran out of time.
    ConnectionAttemptTimeout,
    /// `'pipe'`: a source began piping into this socket (it brings the source).
    Pipe,
    /// `'unpipe'`: a source stopped piping into this socket (it brings the source).
    Unpipe,
}

mod listener;
use listener::Listener;

/// One listener.
struct Entry {
    f: Listener,
    id: u32,
    slot: u8,
    once: bool,
}

/// A handle's listeners, every event in one exact-size list (an idle socket with two
/// listeners holds two small boxes and one short vector, nothing else).
///
/// Snapshot semantics without epochs or tombstones: an emit first clones, in one table
/// access, the shared boxes (a count bumped each) of the event's listeners (no allocation for a single listener), then
/// calls them with no borrow held. So a listener added during an emit is not called by it,
/// one removed during it still is, and the table can change freely meanwhile. A closure
/// that is already running (an emit of the same event from inside its own listener) is
/// skipped rather than re-entered.
///
/// The first slot (a socket's `data`) is the one emitted per message: its sole lasting
/// listener, when it has one, is also kept beside the list, so that [`sole`](Self::sole)
/// for it reads the table's own record instead of the list's separate allocation (one
/// cache line less per message, in the cold cache a return from the kernel leaves).
///
/// `repr(C)` with the cached listener first: a handle's state can keep it among its hot
/// fields (see [`HOT_BYTES`](Self::HOT_BYTES)) and the list among the cold ones.
#[derive(Default)]
#[repr(C)]
pub(crate) struct EventTable {
    /// Slot 0's listener when it has exactly one and it is not a once-listener.
    sole0: Option<Listener>,
    /// Bit `s` set: slot `s` has a listener. Beside `sole0`, so that whether an event has a
    /// listener is known without reading the list, in another cache line: a socket that
    /// closes asks it for `end`, `finish` and `close`, usually in a cold cache. The top bit
    /// is no slot's: [`SOLE0_BORROWS`].
    mask: u32,
    next_id: u32,
    entries: Vec<Entry>,
    /// Bit `s` set: slot `s` gave its `MaxListenersExceededWarning` (Node's `warned` on
    /// the listener array), until its listeners go down to one or none.
    warned: u32,
    /// The emitter's own listener limit plus one (`set_max_listeners`); 0: the process's
    /// default.
    max_plus_one: u32,
}

/// How many emptied two-slot listener lists a thread keeps for new handles.
const SPARE_LISTS_MAX: usize = 64;

thread_local! {
    /// Emptied two-slot listener lists of dropped tables: a connection that comes and goes
    /// takes its list from here and gives it back, an allocation and a free fewer.
    static SPARE_LISTS: RefCell<Vec<Vec<Entry>>> = const { RefCell::new(Vec::new()) };
}

impl std::ops::Drop for EventTable {
    fn drop(&mut self) {
        let mut list = std::mem::take(&mut self.entries);
        if list.capacity() != 2 {
            return;
        }
        // The listeners are dropped here, before the spare lists are borrowed: a closure's
        // captures may run code of their own when dropped.
        list.clear();
        let _ = SPARE_LISTS.try_with(|l| {
            let mut l = l.borrow_mut();
            if l.len() < SPARE_LISTS_MAX {
                l.push(list);
            }
        });
    }
}

/// Listeners taken out of a table, for the caller to drop once it has let go of the table
/// (and of whatever holds it). Dropping a listener's last count drops its closure, and the
/// closure's captures may run code of their own: a guard that ends another socket, or makes
/// a new one, needs the table of every socket free, not borrowed.
#[must_use = "dropped once the table is released"]
pub(crate) struct Removed {
    // Held only to be dropped.
    _one: Option<Entry>,
    _more: Vec<Entry>,
}

impl Removed {
    /// Whether anything was removed.
    #[cfg(test)]
    pub(crate) fn any(&self) -> bool {
        self._one.is_some() || !self._more.is_empty()
    }
}

/// A slot's bit in [`EventTable`]'s mask (slots are below 30, the top bits being
/// [`HANDLE_FLAG`] and [`SOLE0_BORROWS`]: a handle emits fewer events).
#[inline]
fn bit(slot: u8) -> u32 {
    debug_assert!(slot < 30);
    1 << (slot & 31)
}

/// A mask bit no slot's, for the handle's own use: one flag kept where the handle reads
/// the mask anyway (a socket's `readableDidRead`, set with each chunk it emits). Removing
/// listeners leaves it as it is.
const HANDLE_FLAG: u32 = 1 << 30;

/// The mask's top bit, no slot's: slot 0's sole listener only borrows its argument.
const SOLE0_BORROWS: u32 = 1 << 31;

/// Access to a handle's listeners, for the generic emit.
pub(crate) trait HasEvents {
    /// Slots where the handle has one listener of its own, as Node's handle has (a
    /// `Socket`'s `end`): counted by `listener_count` and towards the listener limit.
    const OWN: u32;
    /// Run `f` on the handle's table; `None` if the handle is gone.
    fn with_table<R>(&self, f: impl FnOnce(&mut EventTable) -> R) -> Option<R>;
    /// A listener of `slot` was removed, or an attempt made (Node's `removeListener`
    /// hook: a socket's `readable` listening is brought up to date on the next tick).
    fn removed(&self, slot: u8);
}

impl EventTable {
    /// How many bytes at the table's start an emit through [`sole`](Self::sole) for slot 0
    /// reads.
    #[cfg(test)]
    pub(crate) const HOT_BYTES: usize = size_of::<Option<Listener>>();

    /// Add a listener.
    pub(crate) fn add<A: 'static, F: FnMut(A) + 'static>(
        &mut self,
        slot: u8,
        f: F,
        once: bool,
        prepend: bool,
    ) -> ListenerId {
        self.add_entry(Listener::new(f), slot, once, prepend)
    }

    /// [`add`](Self::add) of a listener that only borrows its argument, which a handle
    /// may then call, as `slot`'s sole listener, with an argument that points into memory
    /// it lends for the call ([`sole0_borrows`](Self::sole0_borrows)).
    ///
    /// # Safety
    /// `f` drops its argument before it returns and keeps nothing that points into it.
    pub(crate) unsafe fn add_borrowing<A: 'static, F: FnMut(A) + 'static>(
        &mut self,
        slot: u8,
        f: F,
    ) -> ListenerId {
        // SAFETY: the caller's contract is the constructor's.
        let f = unsafe { Listener::new_borrowing(f) };
        self.add_entry(f, slot, false, false)
    }

    fn add_entry(&mut self, f: Listener, slot: u8, once: bool, prepend: bool) -> ListenerId {
        self.next_id = self.next_id.wrapping_add(1).max(1);
        let id = self.next_id;
        let e = Entry { f, id, slot, once };
        // Exact size, but room for two at the first add: most handles get a second
        // listener (`data` and `error`, say) right after the first, and growing a one-slot
        // list for it cost about 300 instructions of a short-lived connection's 6,500.
        // The two-slot list comes from the ones closed handles left, when there is one.
        if self.entries.capacity() == 0
            && let Ok(Some(list)) = SPARE_LISTS.try_with(|l| l.borrow_mut().pop())
        {
            self.entries = list;
        }
        self.entries
            .reserve_exact(if self.entries.capacity() == 0 { 2 } else { 1 });
        if prepend {
            self.entries.insert(0, e);
        } else {
            self.entries.push(e);
        }
        self.mask |= bit(slot);
        self.changed(slot);
        ListenerId(id as u64)
    }

    /// Bring the cached sole listener (and, after a removal, the mask) up to date after
    /// `slot`'s listeners changed.
    fn changed(&mut self, slot: u8) {
        if slot == 0 {
            self.sole0 = self.find_sole(0);
            if self.sole0.as_ref().is_some_and(Listener::borrows) {
                self.mask |= SOLE0_BORROWS;
            } else {
                self.mask &= !SOLE0_BORROWS;
            }
        }
    }

    /// Whether slot 0's sole listener only borrows its argument
    /// ([`add_borrowing`](Self::add_borrowing)): a bit beside the mask, where a handle about
    /// to read finds it with no access to the listener itself.
    #[inline(always)]
    pub(crate) fn sole0_borrows(&self) -> bool {
        self.mask & SOLE0_BORROWS != 0
    }

    /// Set the handle's flag ([`HANDLE_FLAG`]).
    #[inline(always)]
    pub(crate) fn set_handle_flag(&mut self) {
        self.mask |= HANDLE_FLAG;
    }

    /// The handle's flag ([`HANDLE_FLAG`]).
    #[inline]
    pub(crate) fn handle_flag(&self) -> bool {
        self.mask & HANDLE_FLAG != 0
    }

    /// `slot`'s listener when it has exactly one and it is not a once-listener.
    fn find_sole(&self, slot: u8) -> Option<Listener> {
        let mut of_slot = self.entries.iter().filter(|e| e.slot == slot);
        let e = of_slot.next()?;
        if e.once || of_slot.next().is_some() {
            return None;
        }
        Some(e.f.clone())
    }

    /// Remove one listener; `None` if it was not there. The caller drops what it gets
    /// once it has let go of the table (see [`Removed`]).
    /// `own` is the handle's [`HasEvents::OWN`].
    pub(crate) fn remove(&mut self, slot: u8, id: ListenerId, own: u32) -> Option<Removed> {
        let i = self
            .entries
            .iter()
            .position(|e| e.slot == slot && e.id as u64 == id.0)?;
        let gone = self.entries.remove(i);
        self.entries.shrink_to_fit();
        self.unmark_if_none(slot);
        self.changed(slot);
        if self.warned & bit(slot) != 0 && self.count(slot) + own_count(own, slot) <= 1 {
            self.warned &= !bit(slot);
        }
        Some(Removed {
            _one: Some(gone),
            _more: Vec::new(),
        })
    }

    /// Remove every listener of one event (to drop as [`remove`](Self::remove)'s).
    pub(crate) fn remove_all(&mut self, slot: u8) -> Removed {
        let more = self.entries.extract_if(.., |e| e.slot == slot).collect();
        self.entries.shrink_to_fit();
        self.mask &= !bit(slot);
        self.warned &= !bit(slot);
        self.changed(slot);
        Removed {
            _one: None,
            _more: more,
        }
    }

    /// The event's listener when it has exactly one and it is not a once-listener: a
    /// snapshot for [`Sole::emit`], taken by a caller that already holds the table.
    pub(crate) fn sole(&self, slot: u8) -> Option<Sole> {
        if slot == 0 {
            return self.sole0.clone().map(Sole);
        }
        self.find_sole(slot).map(Sole)
    }

    /// Where slot 0's cached listener's closure lives, for a prefetch (never
    /// dereferenced). Its reference count is the 16 bytes before it.
    #[inline]
    pub(crate) fn sole0_addr(&self) -> Option<*const u8> {
        self.sole0.as_ref().map(Listener::closure_addr)
    }

    /// Whether an event has a listener: a handle that finds none for an event it is about
    /// to emit can skip the emit's own table access (and the accesses after it that the
    /// listener could have changed things for).
    #[inline]
    pub(crate) fn has(&self, slot: u8) -> bool {
        self.mask & bit(slot) != 0
    }

    /// Clear `slot`'s bit if its last listener is gone.
    fn unmark_if_none(&mut self, slot: u8) {
        if !self.entries.iter().any(|e| e.slot == slot) {
            self.mask &= !bit(slot);
        }
    }

    /// Whether the table holds no listener and no list: dropping it frees nothing.
    #[inline]
    pub(crate) fn is_unallocated(&self) -> bool {
        self.sole0.is_none() && self.entries.capacity() == 0
    }

    /// How many listeners an event has.
    pub(crate) fn count(&self, slot: u8) -> usize {
        self.entries.iter().filter(|e| e.slot == slot).count()
    }

    /// The emitter's listener limit: its own, or the process's default.
    pub(crate) fn max_listeners(&self) -> usize {
        match self.max_plus_one {
            0 => default_max_listeners(),
            n => n as usize - 1,
        }
    }

    /// Set the emitter's own listener limit (0: none).
    pub(crate) fn set_max_listeners(&mut self, n: usize) {
        self.max_plus_one = u32::try_from(n).unwrap_or(u32::MAX - 1).min(u32::MAX - 1) + 1;
    }

    /// After a listener of `slot` was added: `Some((count, limit))` when the event now has
    /// more listeners than the limit and has not warned yet (Node's check in
    /// `_addListener`, which counts the handle's own listeners, `own`, too). Marks the slot
    /// warned.
    pub(crate) fn over_limit(&mut self, slot: u8, own: u32) -> Option<(usize, usize)> {
        let own = own_count(own, slot);
        let max = self.max_listeners();
        // All the handle's listeners within the limit: this event's are (no count made, as
        // most adds find).
        if max == 0 || self.entries.len() + own <= max || self.warned & bit(slot) != 0 {
            return None;
        }
        let count = self.count(slot) + own;
        // Node checks only when the event had a listener before this one.
        if count < 2 || count <= max {
            return None;
        }
        self.warned |= bit(slot);
        Some((count, max))
    }
}

/// How many listeners of its own a handle has on `slot`, from its [`HasEvents::OWN`].
#[inline]
pub(crate) fn own_count(own: u32, slot: u8) -> usize {
    usize::from(own & bit(slot) != 0)
}

/// An event's only listener, taken from the table with the data it is about to receive
/// (see [`EventTable::sole`]): emitting through it is the emit's snapshot taken early, so
/// it is equal to [`emit`] when nothing ran in between.
pub(crate) struct Sole(Listener);

impl Sole {
    /// Call the listener with `arg`; `false` once the loop is stopping.
    #[inline(always)]
    pub(crate) fn emit<A: 'static>(self, arg: A) -> bool {
        self.0.call(&mut Some(arg));
        !crate::rt::stopping()
    }
}

/// A listener an emit owes a call: its closure and, for a once-listener,
/// its id (removed from the table just before the call).
type Due = (Listener, Option<u32>);

/// Emit `arg` to `slot`'s listeners on `h`; gives `arg` back if there were none.
///
/// One table access takes the snapshot; a once-listener costs one more, to remove it right
/// before its call (as Node's once wrapper does, so that a nested emit that reaches it
/// first is the one that calls it).
pub(crate) fn emit<H: HasEvents, A: Clone + 'static>(h: &H, slot: u8, arg: A) -> Option<A> {
    let due = |e: &Entry| -> Due { (e.f.clone(), e.once.then_some(e.id)) };
    let snapshot = h.with_table(|t| {
        if !t.has(slot) {
            return None;
        }
        let mut of_slot = t.entries.iter().filter(|e| e.slot == slot);
        let first = due(of_slot.next()?);
        // A second listener is rare: only then is a list built.
        let rest = of_slot.next().map(|second| {
            let mut rest = vec![due(second)];
            rest.extend(of_slot.map(due));
            rest
        });
        Some((first, rest))
    });
    let Some(Some((first, rest))) = snapshot else {
        return Some(arg);
    };
    let Some(rest) = rest else {
        call_due(h, slot, first, &mut Some(arg));
        return None;
    };
    let last = rest.len();
    let mut arg = Some(arg);
    if !call_due(h, slot, first, &mut arg.clone()) {
        return None;
    }
    for (k, due) in rest.into_iter().enumerate() {
        let mut a = if k + 1 < last {
            arg.clone()
        } else {
            arg.take()
        };
        if !call_due(h, slot, due, &mut a) {
            break;
        }
    }
    None
}

/// [`emit`], giving `arg` back when no listener took it: none is registered, or the only
/// one is running (an emit from inside a listener skips that listener, where Node would
/// call it again).
pub(crate) fn emit_or_back<H: HasEvents, A: Clone + 'static>(h: &H, slot: u8, arg: A) -> Option<A> {
    let sole = h.with_table(|t| {
        let mut of_slot = t.entries.iter().filter(|e| e.slot == slot);
        let first = of_slot.next()?;
        let due: Due = (first.f.clone(), first.once.then_some(first.id));
        of_slot.next().is_none().then_some(due)
    });
    match sole.flatten() {
        Some(due) => {
            let mut a = Some(arg);
            call_due(h, slot, due, &mut a);
            a
        }
        None => emit(h, slot, arg),
    }
}

/// Call one listener of a snapshot; `false` once the loop is stopping (nothing runs any
/// more).
fn call_due<H: HasEvents, A: 'static>(h: &H, slot: u8, (f, once): Due, a: &mut Option<A>) -> bool {
    if let Some(id) = once {
        // The snapshot `f` holds a count: the closure outlives the removal either way.
        let removed = h.with_table(|t| t.remove(slot, ListenerId(id as u64), H::OWN));
        drop(removed);
        // Node's once wrapper removes the listener through `removeListener`, so its hook
        // runs before the listener does.
        h.removed(slot);
    }
    f.call(a);
    !crate::rt::stopping()
}

/// An `FnMut` that calls `f` the first time and does nothing after (a once-listener is
/// removed before it runs, so "after" never comes in practice).
#[doc(hidden)]
pub fn call_once<A>(f: impl FnOnce(A)) -> impl FnMut(A) {
    let mut f = Some(f);
    move |a| {
        if let Some(f) = f.take() {
            f(a)
        }
    }
}

/// Implements `on`, `once`, `prepend_listener`, `prepend_once_listener`, `off`,
/// `remove_all_listeners`, `listener_count`, `set_max_listeners` and `get_max_listeners` for
/// a `Copy` handle type that has
/// `fn with_events<R>(&self, f: impl FnOnce(&mut EventTable) -> R) -> Option<R>`; `own` is
/// its [`HasEvents::OWN`].
macro_rules! impl_emitter {
    ($ty:ident) => {
        $crate::events::impl_emitter!($ty, own = 0);
    };
    ($ty:ident, own = $own:expr) => {
        impl $ty {
            /// Add a listener for `event` (Node's `on`). Returns its id, for `off`.
            pub fn on<E, F>(&self, _event: E, f: F) -> $crate::events::ListenerId
            where
                E: $crate::events::Event,
                Self: $crate::events::Emits<E>,
                F: FnMut(<Self as $crate::events::Emits<E>>::Arg) + 'static,
            {
                self.add_listener::<E, F>(f, false, false)
            }

            /// Add a listener called at most once (Node's `once`).
            pub fn once<E, F>(&self, _event: E, f: F) -> $crate::events::ListenerId
            where
                E: $crate::events::Event,
                Self: $crate::events::Emits<E>,
                F: FnOnce(<Self as $crate::events::Emits<E>>::Arg) + 'static,
            {
                self.add_listener::<E, _>($crate::events::call_once(f), true, false)
            }

            /// Add a listener before all others (Node's `prependListener`).
            pub fn prepend_listener<E, F>(&self, _event: E, f: F) -> $crate::events::ListenerId
            where
                E: $crate::events::Event,
                Self: $crate::events::Emits<E>,
                F: FnMut(<Self as $crate::events::Emits<E>>::Arg) + 'static,
            {
                self.add_listener::<E, F>(f, false, true)
            }

            /// Add a once-listener before all others (Node's `prependOnceListener`).
            pub fn prepend_once_listener<E, F>(&self, _event: E, f: F) -> $crate::events::ListenerId
            where
                E: $crate::events::Event,
                Self: $crate::events::Emits<E>,
                F: FnOnce(<Self as $crate::events::Emits<E>>::Arg) + 'static,
            {
                self.add_listener::<E, _>($crate::events::call_once(f), true, true)
            }

            /// Remove a listener (Node's `off` / `removeListener`); `true` if it was there.
            pub fn off<E>(&self, _event: E, id: $crate::events::ListenerId) -> bool
            where
                E: $crate::events::Event,
                Self: $crate::events::Emits<E>,
            {
                // What is removed is dropped here, after the table's access.
                let slot = <Self as $crate::events::Emits<E>>::SLOT;
                let removed = self
                    .with_events(|t| t.remove(slot, id, <Self as $crate::events::HasEvents>::OWN))
                    .flatten();
                let was = removed.is_some();
                drop(removed);
                self.listener_removed(slot);
                was
            }

            /// Remove every listener of `event` (Node's `removeAllListeners(event)`).
            pub fn remove_all_listeners<E>(&self, _event: E)
            where
                E: $crate::events::Event,
                Self: $crate::events::Emits<E>,
            {
                // What is removed is dropped here, after the table's access.
                let slot = <Self as $crate::events::Emits<E>>::SLOT;
                let removed = self.with_events(|t| t.remove_all(slot));
                drop(removed);
                self.listener_removed(slot);
            }

            /// How many listeners `event` has (Node's `listenerCount`).
            pub fn listener_count<E>(&self, _event: E) -> usize
            where
                E: $crate::events::Event,
                Self: $crate::events::Emits<E>,
            {
                let slot = <Self as $crate::events::Emits<E>>::SLOT;
                self.with_events(|t| t.count(slot)).unwrap_or(0)
                    + $crate::events::own_count(<Self as $crate::events::HasEvents>::OWN, slot)
            }

            /// Set how many listeners one event may have before the next one added gives a
            /// `MaxListenersExceededWarning` (Node's `setMaxListeners`); 0 means no limit.
            /// Until set, the process's default
            /// ([`set_default_max_listeners`](crate::net::events::set_default_max_listeners),
            /// 10). The warning comes once per event, and again only after the event's
            /// listeners went down to one or none; nothing is refused. A limit over
            /// 2^32 - 2 is kept as 2^32 - 2 (Node's `Infinity`, in effect).
            pub fn set_max_listeners(&self, n: usize) -> $ty {
                self.with_events(|t| t.set_max_listeners(n));
                *self
            }

            /// The listener limit: the handle's own, or the process's default (Node's
            /// `getMaxListeners`).
            pub fn get_max_listeners(&self) -> usize {
                self.with_events(|t| t.max_listeners())
                    .unwrap_or_else($crate::events::default_max_listeners)
            }

            fn add_listener<E, F>(
                &self,
                f: F,
                once: bool,
                prepend: bool,
            ) -> $crate::events::ListenerId
            where
                E: $crate::events::Event,
                Self: $crate::events::Emits<E>,
                F: FnMut(<Self as $crate::events::Emits<E>>::Arg) + 'static,
            {
                let slot = <Self as $crate::events::Emits<E>>::SLOT;
                let added = self.with_events(|t| {
                    let id =
                        t.add::<<Self as $crate::events::Emits<E>>::Arg, F>(slot, f, once, prepend);
                    (
                        id,
                        t.over_limit(slot, <Self as $crate::events::HasEvents>::OWN),
                    )
                });
                let Some((id, over)) = added else {
                    self.listener_added(slot);
                    return $crate::events::ListenerId::dead();
                };
                if let Some((count, max)) = over {
                    $crate::process::max_listeners_exceeded(
                        stringify!($ty),
                        <Self as $crate::events::Emits<E>>::NAME,
                        count,
                        max,
                    );
                }
                self.listener_added(slot);
                id
            }

            /// Emit `event` now, with `arg` (Node's `emit`). Returns whether it had listeners.
            /// An `error` with no listener stops the loop: `run` returns it.
            pub fn emit<E>(&self, _event: E, arg: <Self as $crate::events::Emits<E>>::Arg) -> bool
            where
                E: $crate::events::Event,
                Self: $crate::events::Emits<E>,
            {
                let slot = <Self as $crate::events::Emits<E>>::SLOT;
                let Some(arg) = $crate::events::emit(self, slot, arg) else {
                    return true;
                };
                $crate::events::unhandled::<<Self as $crate::events::Emits<E>>::Arg>(
                    <Self as $crate::events::Emits<E>>::NAME,
                    arg,
                );
                false
            }
        }

        impl $crate::events::HasEvents for $ty {
            const OWN: u32 = $own;

            fn with_table<R>(
                &self,
                f: impl FnOnce(&mut $crate::events::EventTable) -> R,
            ) -> Option<R> {
                self.with_events(f)
            }

            fn removed(&self, slot: u8) {
                self.listener_removed(slot)
            }
        }
    };
}
pub(crate) use impl_emitter;

/// Implements [`Emits`] for a handle type, one line an event: `Event(Arg) = slot "name";`,
/// where the slot is the event's place in the handle's table (fixed, as the handle's
/// `own` mask names slots) and the name is Node's.
macro_rules! impl_emits {
    ($ty:ty { $($event:ident($arg:ty) = $slot:literal $name:literal;)* }) => {
        $(
            impl $crate::events::Emits<$crate::events::$event> for $ty {
                type Arg = $arg;
                const SLOT: u8 = $slot;
                const NAME: &'static str = $name;
            }
        )*
    };
}
pub(crate) use impl_emits;

impl ListenerId {
    #[doc(hidden)]
    pub fn dead() -> ListenerId {
        ListenerId(0)
    }
}

/// An event with no listener: only `error` matters, it becomes the loop's uncaught error.
#[doc(hidden)]
pub fn unhandled<A: 'static>(name: &str, arg: A) {
    if name == "error" {
        let any: Box<dyn Any> = Box::new(arg);
        if let Ok(e) = any.downcast::<crate::Error>() {
            crate::rt::uncaught(*e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    thread_local! {
        static TABLE: RefCell<EventTable> = RefCell::new(EventTable::default());
    }

    #[derive(Clone, Copy)]
    struct H;
    impl HasEvents for H {
        const OWN: u32 = 0;

        fn with_table<R>(&self, f: impl FnOnce(&mut EventTable) -> R) -> Option<R> {
            TABLE.with(|t| t.try_borrow_mut().ok().map(|mut t| f(&mut t)))
        }

        fn removed(&self, _slot: u8) {}
    }

    fn log() -> Rc<RefCell<Vec<String>>> {
        Rc::new(RefCell::new(Vec::new()))
    }

    #[test]
    fn the_listener_limit_warns_once_per_crossing_until_the_count_falls_to_one() {
        let mut t = EventTable::default();
        t.set_max_listeners(2);
        let add = |t: &mut EventTable, slot: u8, own: u32| {
            let id = t.add::<u32, _>(slot, |_| {}, false, false);
            (id, t.over_limit(slot, own))
        };
        let (a, none) = add(&mut t, 1, 0);
        assert_eq!(none, None);
        let (b, none) = add(&mut t, 1, 0);
        assert_eq!(none, None);
        let (c, over) = add(&mut t, 1, 0);
        assert_eq!(over, Some((3, 2)));
        // Warned: no second warning while the count stays above one.
        drop(t.remove(1, c, 0));
        assert_eq!(add(&mut t, 1, 0).1, None);
        // Another event has its own mark.
        add(&mut t, 2, 0);
        add(&mut t, 2, 0);
        assert_eq!(add(&mut t, 2, 0).1, Some((3, 2)));
        // Down to one listener: the mark goes, and the next crossing warns again.
        drop(t.remove(1, a, 0));
        drop(t.remove(1, b, 0));
        assert_eq!(t.count(1), 1);
        add(&mut t, 1, 0);
        assert_eq!(add(&mut t, 1, 0).1, Some((3, 2)));
        // remove_all clears it too.
        drop(t.remove_all(1));
        add(&mut t, 1, 0);
        add(&mut t, 1, 0);
        assert_eq!(add(&mut t, 1, 0).1, Some((3, 2)));
        // A handle's own listener counts: one of ours crosses a limit of 1.
        let mut u = EventTable::default();
        u.set_max_listeners(1);
        let own = bit(4);
        let (d, over) = add(&mut u, 4, own);
        assert_eq!(over, Some((2, 1)));
        // Removing ours leaves the own one: the count is one, the mark goes.
        drop(u.remove(4, d, own));
        assert_eq!(add(&mut u, 4, own).1, Some((2, 1)));
        // Limit 0: never.
        u.set_max_listeners(0);
        drop(u.remove_all(5));
        for _ in 0..50 {
            assert_eq!(add(&mut u, 5, 0).1, None);
        }
        assert_eq!(u.max_listeners(), 0);
        // No limit of its own: the process's default (10 unless a test changes it).
        let mut v = EventTable::default();
        assert_eq!(v.max_listeners(), default_max_listeners());
        v.set_max_listeners(usize::MAX);
        assert_eq!(v.max_listeners(), u32::MAX as usize - 1);
    }

    #[test]
    fn the_mask_says_which_events_have_listeners_through_adds_and_removals() {
        let mut t = EventTable::default();
        let agrees = |t: &EventTable| (0..13).all(|s| t.has(s) == (t.count(s) > 0));
        let a = t.add::<u32, _>(3, |_| {}, false, false);
        let b = t.add::<u32, _>(3, |_| {}, true, false);
        t.add::<u32, _>(12, |_| {}, false, true);
        assert!(t.has(3) && t.has(12) && !t.has(0) && agrees(&t));
        // One of two removed: still marked; the second too: cleared.
        assert!(t.remove(3, a, 0).is_some_and(|r| r.any()));
        assert!(t.has(3) && agrees(&t));
        assert!(t.remove(3, a, 0).is_none(), "already gone");
        assert!(t.remove(3, b, 0).is_some());
        assert!(!t.has(3) && t.has(12) && agrees(&t));
        assert!(t.remove_all(12).any());
        assert!(!t.has(12) && agrees(&t));
        // A once-listener is removed by the emit that calls it.
        TABLE.with(|t| {
            t.borrow_mut().add::<u32, _>(5, |_| {}, true, false);
        });
        assert!(H.with_table(|t| t.has(5)) == Some(true));
        assert!(emit(&H, 5, 1u32).is_none());
        assert_eq!(H.with_table(|t| (t.has(5), t.count(5))), Some((false, 0)));
    }

    #[test]
    fn sole_is_only_a_single_lasting_listener_and_calls_it_like_emit() {
        let l = log();
        let mut t = EventTable::default();
        assert!(t.sole(0).is_none());
        let a = l.clone();
        let id = t.add::<u32, _>(
            0,
            move |x| a.borrow_mut().push(format!("a{x}")),
            false,
            false,
        );
        let b = l.clone();
        t.add::<u32, _>(
            1,
            move |x| b.borrow_mut().push(format!("b{x}")),
            false,
            false,
        );
        // One listener on slot 0, whatever other slots hold.
        let sole = t.sole(0).expect("one listener");
        // The snapshot stays callable after the table changed, as an emit's does.
        drop(t.remove(0, id, 0));
        assert!(sole.emit(7u32));
        assert_eq!(*l.borrow(), ["a7"]);
        // A once-listener, or a second listener, is left to the full emit.
        t.add::<u32, _>(0, |_| {}, true, false);
        assert!(t.sole(0).is_none());
        drop(t.remove_all(0));
        assert!(t.sole(0).is_none());
        // Two listeners, then one again: slot 0's sole listener is cached, and follows.
        let c = l.clone();
        let kept = t.add::<u32, _>(
            0,
            move |x| c.borrow_mut().push(format!("c{x}")),
            false,
            false,
        );
        let other = t.add::<u32, _>(0, |_| {}, false, true);
        assert!(t.sole(0).is_none());
        drop(t.remove(0, other, 0));
        assert!(t.sole(0).expect("one left").emit(8u32));
        drop(t.remove(0, kept, 0));
        assert!(t.sole(0).is_none());
        t.add::<u32, _>(0, |_| {}, false, false);
        t.add::<u32, _>(0, |_| {}, false, false);
        assert!(t.sole(0).is_none());
        // A mismatched argument type reaches nobody.
        assert!(t.sole(1).expect("one").emit("not a u32"));
        assert_eq!(*l.borrow(), ["a7", "c8"]);
    }

    #[test]
    fn listeners_run_in_order_with_prepended_first_and_once_only_once() {
        let l = log();
        let (a, b, c) = (l.clone(), l.clone(), l.clone());
        H.with_table(|t| {
            t.add::<u32, _>(
                0,
                move |x| a.borrow_mut().push(format!("a{x}")),
                false,
                false,
            );
            t.add::<u32, _>(
                0,
                move |x| b.borrow_mut().push(format!("once{x}")),
                true,
                false,
            );
            t.add::<u32, _>(
                0,
                move |x| c.borrow_mut().push(format!("first{x}")),
                false,
                true,
            );
        });
        assert!(emit(&H, 0, 1u32).is_none());
        assert!(emit(&H, 0, 2u32).is_none());
        assert_eq!(*l.borrow(), ["first1", "a1", "once1", "first2", "a2"]);
        assert_eq!(H.with_table(|t| t.count(0)), Some(2));
        assert_eq!(
            emit(&H, 1, 5u32),
            Some(5),
            "no listener: the argument comes back"
        );
    }

    #[test]
    fn a_dropped_tables_list_goes_to_the_next_table_and_its_listeners_are_dropped() {
        let held = Rc::new(());
        let mut t = EventTable::default();
        let h = held.clone();
        t.add(1, move |_: u32| drop(h.clone()), false, false);
        t.add(2, |_: u32| {}, false, false);
        let list = t.entries.as_ptr();
        drop(t);
        // The listeners went with the table; their list did not.
        assert_eq!(Rc::strong_count(&held), 1);
        assert_eq!(SPARE_LISTS.with(|l| l.borrow().len()), 1);
        // An allocation of the same size now would take a freed list's memory.
        let other: Vec<Entry> = Vec::with_capacity(2);
        assert_ne!(other.as_ptr(), list);
        let mut u = EventTable::default();
        u.add(1, |_: u32| {}, false, false);
        assert_eq!((u.entries.as_ptr(), u.entries.len()), (list, 1));
        // A list that grew past two slots is freed, not kept.
        u.add(2, |_: u32| {}, false, false);
        u.add(3, |_: u32| {}, false, false);
        drop(u);
        assert_eq!(SPARE_LISTS.with(|l| l.borrow().len()), 0);
    }

    #[test]
    fn an_emit_works_on_a_snapshot_of_its_listeners() {
        let l = log();
        let second: Rc<RefCell<Option<ListenerId>>> = Rc::new(RefCell::new(None));
        let (a, s2) = (l.clone(), second.clone());
        let l2 = l.clone();
        H.with_table(|t| {
            t.add::<(), _>(
                0,
                move |_| {
                    a.borrow_mut().push("a".into());
                    // Removing a later listener during the emit: it is still called by it.
                    let id = *s2.borrow();
                    if let Some(id) = id {
                        drop(H.with_table(|t| t.remove(0, id, 0)));
                    }
                    // Adding one during the emit: it is not called by it.
                    let l3 = a.clone();
                    H.with_table(|t| {
                        t.add::<(), _>(
                            0,
                            move |_| l3.borrow_mut().push("late".into()),
                            false,
                            false,
                        )
                    });
                },
                false,
                false,
            );
            let id = t.add::<(), _>(0, move |_| l2.borrow_mut().push("b".into()), false, false);
            *second.borrow_mut() = Some(id);
        });
        emit(&H, 0, ());
        assert_eq!(*l.borrow(), ["a", "b"]);
        l.borrow_mut().clear();
        *second.borrow_mut() = None;
        emit(&H, 0, ());
        assert_eq!(*l.borrow(), ["a", "late"]);
    }

    #[test]
    fn a_once_listener_in_two_snapshots_is_called_once_by_the_emit_that_reaches_it_first() {
        let l = log();
        let (a, b) = (l.clone(), l.clone());
        let nested = Rc::new(std::cell::Cell::new(false));
        let n = nested.clone();
        H.with_table(|t| {
            t.add::<u32, _>(
                0,
                move |x| {
                    a.borrow_mut().push(format!("a{x}"));
                    if !n.replace(true) {
                        // A nested emit: `a` is running and is skipped; the once-listener
                        // is in this snapshot and the outer one.
                        emit(&H, 0, 2u32);
                    }
                },
                false,
                false,
            );
            // As `once` adds it: the wrapper is Node's `fired` flag.
            t.add::<u32, _>(
                0,
                call_once(move |x| b.borrow_mut().push(format!("once{x}"))),
                true,
                false,
            );
        });
        emit(&H, 0, 1u32);
        assert_eq!(*l.borrow(), ["a1", "once2"]);
        assert_eq!(H.with_table(|t| t.count(0)), Some(1));
    }
}
