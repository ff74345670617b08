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
//!   `run` returns the error.
//!
//! No borrow of any internal state is held while a listener runs, so a listener may call any
//! method of any handle, including adding and removing listeners on its own emitter.
//! Listeners are stored behind `Rc`, and a snapshot is an `Rc` clone, so emitting allocates
//! nothing; only changing the list during an emit copies it.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

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
}

type Callback<A> = Rc<RefCell<dyn FnMut(A)>>;

struct Entry<A> {
    id: u64,
    once: bool,
    f: Callback<A>,
}

impl<A> Clone for Entry<A> {
    fn clone(&self) -> Self {
        Entry {
            id: self.id,
            once: self.once,
            f: self.f.clone(),
        }
    }
}

/// One event's listeners.
struct List<A> {
    entries: Rc<Vec<Entry<A>>>,
}

/// A snapshot of one event's listeners, taken for one emit.
pub(crate) struct Snapshot<A>(Option<Rc<Vec<Entry<A>>>>);

impl<A: Clone + 'static> Snapshot<A> {
    /// Whether the snapshot holds no listener.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|v| v.is_empty())
    }

    /// Call every listener with `arg`. A listener already running (re-entrant emit of the
    /// same event from inside itself) is skipped rather than re-entered.
    pub(crate) fn call(self, arg: A) {
        let Some(list) = self.0 else { return };
        let n = list.len();
        let mut arg = Some(arg);
        for (i, e) in list.iter().enumerate() {
            let a = if i + 1 == n { arg.take() } else { arg.clone() };
            let Some(a) = a else { return };
            if let Ok(mut f) = e.f.try_borrow_mut() {
                f(a);
            }
            if crate::rt::stopping() {
                return;
            }
        }
    }
}

/// A handle's listeners, all events, stored by slot.
#[derive(Default)]
pub(crate) struct EventTable {
    slots: Vec<(u8, Box<dyn Any>)>,
}

thread_local! {
    static NEXT_ID: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
}

fn next_id() -> u64 {
    NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    })
}

impl EventTable {
    fn list<A: 'static>(&mut self, slot: u8) -> &mut List<A> {
        let i = match self.slots.iter().position(|(s, _)| *s == slot) {
            Some(i) => i,
            None => {
                let l: List<A> = List {
                    entries: Rc::new(Vec::new()),
                };
                self.slots.push((slot, Box::new(l)));
                self.slots.len() - 1
            }
        };
        self.slots[i]
            .1
            .downcast_mut::<List<A>>()
            .expect("one argument type per slot")
    }

    fn find<A: 'static>(&self, slot: u8) -> Option<&List<A>> {
        self.slots
            .iter()
            .find(|(s, _)| *s == slot)
            .and_then(|(_, l)| l.downcast_ref::<List<A>>())
    }

    /// Add a listener.
    pub(crate) fn add<A: 'static>(
        &mut self,
        slot: u8,
        f: impl FnMut(A) + 'static,
        once: bool,
        prepend: bool,
    ) -> ListenerId {
        let id = next_id();
        let e = Entry {
            id,
            once,
            f: Rc::new(RefCell::new(f)),
        };
        let v = Rc::make_mut(&mut self.list::<A>(slot).entries);
        if prepend {
            v.insert(0, e);
        } else {
            v.push(e);
        }
        ListenerId(id)
    }

    /// Remove one listener; `true` if it was there.
    pub(crate) fn remove<A: 'static>(&mut self, slot: u8, id: ListenerId) -> bool {
        let l = self.list::<A>(slot);
        let Some(i) = l.entries.iter().position(|e| e.id == id.0) else {
            return false;
        };
        Rc::make_mut(&mut l.entries).remove(i);
        true
    }

    /// Remove every listener of one event.
    pub(crate) fn remove_all<A: 'static>(&mut self, slot: u8) {
        self.list::<A>(slot).entries = Rc::new(Vec::new());
    }

    /// How many listeners an event has.
    pub(crate) fn count<A: 'static>(&self, slot: u8) -> usize {
        self.find::<A>(slot).map_or(0, |l| l.entries.len())
    }

    /// Take the snapshot for one emit, removing `once` listeners first.
    pub(crate) fn snapshot<A: 'static>(&mut self, slot: u8) -> Snapshot<A> {
        let Some(i) = self.slots.iter().position(|(s, _)| *s == slot) else {
            return Snapshot(None);
        };
        let Some(l) = self.slots[i].1.downcast_mut::<List<A>>() else {
            return Snapshot(None);
        };
        if l.entries.is_empty() {
            return Snapshot(None);
        }
        let snap = l.entries.clone();
        if snap.iter().any(|e| e.once) {
            l.entries = Rc::new(snap.iter().filter(|e| !e.once).cloned().collect());
        }
        Snapshot(Some(snap))
    }
}

/// Implements `on`, `once`, `prepend_listener`, `prepend_once_listener`, `off`,
/// `remove_all_listeners` and `listener_count` for a handle type that has
/// `fn with_events<R>(&self, f: impl FnOnce(&mut EventTable) -> R) -> Option<R>`.
macro_rules! impl_emitter {
    ($ty:ty) => {
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
                let mut f = Some(f);
                self.add_listener::<E, _>(
                    move |a| {
                        if let Some(f) = f.take() {
                            f(a)
                        }
                    },
                    true,
                    false,
                )
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
                let mut f = Some(f);
                self.add_listener::<E, _>(
                    move |a| {
                        if let Some(f) = f.take() {
                            f(a)
                        }
                    },
                    true,
                    true,
                )
            }

            /// Remove a listener (Node's `off` / `removeListener`); `true` if it was there.
            pub fn off<E>(&self, _event: E, id: $crate::events::ListenerId) -> bool
            where
                E: $crate::events::Event,
                Self: $crate::events::Emits<E>,
            {
                self.with_events(|t| {
                    t.remove::<<Self as $crate::events::Emits<E>>::Arg>(
                        <Self as $crate::events::Emits<E>>::SLOT,
                        id,
                    )
                })
                .unwrap_or(false)
            }

            /// Remove every listener of `event` (Node's `removeAllListeners(event)`).
            pub fn remove_all_listeners<E>(&self, _event: E)
            where
                E: $crate::events::Event,
                Self: $crate::events::Emits<E>,
            {
                self.with_events(|t| {
                    t.remove_all::<<Self as $crate::events::Emits<E>>::Arg>(
                        <Self as $crate::events::Emits<E>>::SLOT,
                    )
                });
            }

            /// How many listeners `event` has (Node's `listenerCount`).
            pub fn listener_count<E>(&self, _event: E) -> usize
            where
                E: $crate::events::Event,
                Self: $crate::events::Emits<E>,
            {
                self.with_events(|t| {
                    t.count::<<Self as $crate::events::Emits<E>>::Arg>(
                        <Self as $crate::events::Emits<E>>::SLOT,
                    )
                })
                .unwrap_or(0)
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
                let id = self.with_events(|t| t.add(slot, f, once, prepend));
                let id = id.unwrap_or($crate::events::ListenerId::dead());
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
                let snap = self
                    .with_events(|t| t.snapshot::<<Self as $crate::events::Emits<E>>::Arg>(slot));
                match snap {
                    Some(s) if !s.is_empty() => {
                        s.call(arg);
                        true
                    }
                    _ => {
                        $crate::events::unhandled::<<Self as $crate::events::Emits<E>>::Arg>(
                            <Self as $crate::events::Emits<E>>::NAME,
                            arg,
                        );
                        false
                    }
                }
            }
        }
    };
}
pub(crate) use impl_emitter;

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
