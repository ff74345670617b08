//! The event loop: libuv's phases and liveness rules on mio, one loop per thread.
//!
//! # The contract
//!
//! [`run`] installs a loop on the calling thread, calls `setup`, drains the next-tick queue,
//! then iterates until nothing keeps the loop alive. One iteration, as libuv's `uv_run`:
//!
//! 1. **pending**: callbacks deferred from the previous iteration (completed connects,
//!    shutdowns, reads re-queued after their budget ran out);
//! 2. **poll**: wait for I/O (no wait when pending work, immediates or closes are queued;
//!    otherwise until the next timer, or forever with no timer), then dispatch each event;
//!    completions from the thread pool arrive here too; then the pending queue again, up
//!    to 8 rounds, as libuv 1.45+ runs it after its poll (what the poll's callbacks
//!    deferred, a shutdown's completion for one, runs before check and close);
//! 3. **check**: the immediates queued before this phase began (`set_immediate`);
//! 4. **close**: close callbacks (a socket's `close` event is emitted here), last-closed first
//!    as libuv runs them;
//! 5. **timers**: update the cached time, run every timer that is due, as Node does: list
//!    by list (the timers of one delay), in the order the lists come due, each list's due
//!    timers in deadline order (with no timer armed the phase is skipped, clock read
//!    included).
//!
//! Before the first iteration the time is updated and due timers run, as libuv does.
//!
//! **Time.** The loop caches the time (libuv's `uv_now`): after each poll while a timer is
//! armed, in the timers phase, and on demand when nothing refreshed it since the poll. A
//! timer starts from a fresh read, as Node's `setTimeout` and `refresh` do (their start,
//! `getLibuvNow()`, updates libuv's time first): one armed at the end of a slow callback
//! counts from then, not from the poll that started the callback. So does an interval's
//! next run (read just before its callback), and a socket's idle timeout restarts from a
//! fresh read at each read and write.
//!
//! **A cleared timer does not wake the loop** (a difference from Node). Node keeps one libuv
//! timer for all of its timers, armed for the earliest deadline, and does not re-arm it
//! when that timer is cleared: its loop still wakes then, runs no timer, and goes on
//! through the check phase, so unref'd immediates that wait run at the cleared timer's
//! deadline. nodenet's poll sleeps until the next live deadline, and such immediates run
//! then. We know of nothing else a program can see of the wake (a ref'd immediate, a
//! pending or close callback and I/O end the poll in both). Found by the `fuzz_loop`
//! parity test.
//!
//! **Next tick.** After every callback the loop runs (setup, an I/O event, a timer, an
//! immediate, a close, a pool completion), the next-tick queue is drained, including ticks
//! queued by ticks. Several Node events are emitted on next tick, and the order users see
//! depends on it.
//!
//! **Liveness.** The loop is alive while a handle is both active and ref'd (a listening
//! server, a reading or connecting socket, a timer), a request is in flight (a write, a
//! shutdown, a lookup), an immediate is ref'd, or pending or close callbacks are queued.
//! Handles report their own changes in O(1) through `handle_alive`; the check is a few
//! integer comparisons.
//!
//! **Uncaught errors.** An `error` event with no listener records the error; the loop stops
//! at once and `run` returns it, as a Node process dies on an uncaught exception.
//!
//! **Reentrancy.** No internal borrow is held while user code runs, so callbacks may call
//! any nodenet function. Calling [`run`] while a loop already runs on the thread returns an
//! error. Handles are plain ids; a handle of a previous loop is stale and does nothing.
//!
//! **Edge triggering.** mio reports readiness once per edge. A handle that stops reading
//! before `WouldBlock` (budget spent, or resumed later) re-queues itself with `requeue`,
//! which delivers a synthetic readiness in the next poll phase.

pub(crate) mod pool;
pub(crate) mod readbuf;
pub(crate) mod task;
pub(crate) mod timers;
use readbuf::ReadBuf;
use task::Task;

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mio::{Events, Interest, Poll, Token};

use crate::error::{Error, Result};
use timers::{IdMap, TimerCb, Timers};

/// Readiness delivered to a handle.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Ready {
    pub readable: bool,
    pub writable: bool,
    pub error: bool,
    pub read_closed: bool,
    /// The poll reported the stream hung up (POLLHUP: no more reading nor writing, as a
    /// Unix socket reports once its peer closed): libuv then drains the stream in the same
    /// event, after the read (`uv__stream_io`), so a shutdown asked for meanwhile is made
    /// and completes there, not in a later phase.
    pub hup: bool,
}

/// A kind of I/O handle as the loop sees it: where its events go, and how to warm the
/// cache for one a few events ahead.
pub(crate) struct IoKind {
    /// Deliver readiness to the handle a key names.
    pub dispatch: fn(usize, Ready),
    /// Prefetch, for a batch of events, what the events ahead will touch:
    /// `prefetch(far, near)` asks for the record of the handle `far` names, and for what
    /// the record of `near` points at (its record was asked for one event earlier, so it
    /// is in cache by now). Either key may be [`NO_KEY`]. Never dereferences what it
    /// prefetches.
    pub prefetch: fn(usize, usize),
    /// The handle tells a synthetic readiness (`requeue`) from a real one of the same poll
    /// itself (a listener takes one connection per [`poll_round`]), so the loop delivers
    /// both without looking for the real one among the poll's events: a scan of the batch
    /// per requeued token, which a listener requeued after every connection would pay per
    /// connection, and which grows with the batch (hundreds of events at 500 busy
    /// connections). Under callgrind's small batches the churn cell went from 4,631 to
    /// 4,598 instructions per connection with it.
    pub own_requeue: bool,
}

/// A key no handle has (keys fit in 62 bits): "nothing to prefetch" in
/// [`IoKind::prefetch`].
pub(crate) const NO_KEY: usize = usize::MAX;

/// A handle kind as the loop stores it: one static record per kind.
type Dispatch = &'static IoKind;

/// How many kinds of handle may register I/O sources (sockets, `onread` sockets and
/// servers today: all three slots); the token's top bits name the kind, the rest is the
/// handle's own key.
const KINDS: usize = 3;
const KIND_SHIFT: u32 = 62;
/// The largest key a handle may register: generation and slab index packed in 62 bits.
const KEY_MASK: usize = (1 << KIND_SHIFT) - 1;
/// Generations wrap within 30 bits, so that a 32-bit slab index and the generation fit in
/// a key.
const GEN_MASK: u32 = (1 << 30) - 1;

/// The waker's token: kind 3, which no handle kind uses.
const WAKER: Token = Token(usize::MAX);

/// Hand out the next generation from a handle table's counter (never 0, within 30 bits).
pub(crate) fn next_gen(counter: &Cell<u32>) -> u32 {
    let v = counter.get();
    counter.set((v.wrapping_add(1) & GEN_MASK).max(1));
    v
}

/// Split a token into its dispatch function and key.
#[inline]
fn decode(kinds: &[Option<Dispatch>; KINDS], token: usize) -> Option<(Dispatch, usize)> {
    let d = (*kinds.get(token >> KIND_SHIFT)?)?;
    Some((d, token & KEY_MASK))
}

/// Prefetch for the events `far` and `near` of a batch, in one call when their handles
/// are of one kind (the usual case: sockets).
#[inline(always)]
fn prefetch(
    far: Option<&mio::event::Event>,
    near: Option<&mio::event::Event>,
    kinds: &[Option<Dispatch>; KINDS],
) {
    let far = far.and_then(|e| decode(kinds, e.token().0));
    let near = near.and_then(|e| decode(kinds, e.token().0));
    match (far, near) {
        (Some((fk, fkey)), Some((nk, nkey))) if std::ptr::eq(fk, nk) => (fk.prefetch)(fkey, nkey),
        _ => {
            if let Some((k, key)) = far {
                (k.prefetch)(key, NO_KEY)
            }
            if let Some((k, key)) = near {
                (k.prefetch)(NO_KEY, key)
            }
        }
    }
}

/// Ask the CPU to bring the cache line at `p` closer; a hint that never faults.
#[inline(always)]
pub(crate) fn prefetch_line(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing architecturally and cannot fault, whatever `p` is.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p as *const i8)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

struct ImmediateEntry {
    cb: Box<dyn FnOnce()>,
    refed: bool,
}

pub(crate) struct Core {
    poll: Poll,
    /// The dispatch function of each handle kind, indexed by a token's top bits.
    kinds: [Option<Dispatch>; KINDS],
    requeued: Vec<usize>,
    /// The other half of `requeued`'s double buffer: the list taken for a round is swapped
    /// with this one, so the tokens requeued while the round runs (a bulk reader that
    /// stopped at its read budget requeues itself every round) go into a list that already
    /// has room, and neither list is allocated again.
    requeued_spare: Vec<usize>,
    timers: Timers,
    immediates: IdMap<u64, ImmediateEntry>,
    immediate_order: VecDeque<u64>,
    /// An emptied order list kept for the next check phase to swap in (no allocation per
    /// phase).
    immediate_spare: VecDeque<u64>,
    immediates_refed: usize,
    ticks: VecDeque<Task>,
    pending: VecDeque<Task>,
    closing: Vec<Task>,
    uncaught: Option<Error>,
    /// The loop's cached time (libuv's `uv_now`); see [`Core::now`].
    now: Instant,
    /// `now` was not refreshed after the last poll (no timer was armed then): the next
    /// [`Core::now`] reads the clock.
    now_stale: bool,
    pool: Option<pool::Pool>,
    waker: Arc<mio::Waker>,
    req_done: HashMap<u64, Box<dyn FnOnce(pool::Done)>>,
    remote: RemoteQueue,
    next_id: u64,
}

thread_local! {
    static CORE: RefCell<Option<Core>> = const { RefCell::new(None) };
    static STOPPING: Cell<bool> = const { Cell::new(false) };
    /// How many callbacks wait in the next-tick queue (`Core::ticks`).
    static TICKS_QUEUED: Cell<usize> = const { Cell::new(0) };
    /// Handles both active and ref'd, and requests in flight: what keeps the loop alive
    /// besides its own queues. Kept beside the loop state rather than in it: a socket's
    /// state changes them several times per connection, and a cell is one load and one
    /// store where the loop state is a borrow.
    static ALIVE_HANDLES: Cell<isize> = const { Cell::new(0) };
    static ACTIVE_REQS: Cell<isize> = const { Cell::new(0) };
    static TEARDOWN: RefCell<Vec<fn()>> = const { RefCell::new(Vec::new()) };
    /// The loop's shared read buffer: sockets read into it and keep only what arrived.
    static READ_BUF: RefCell<ReadBuf> = RefCell::new(ReadBuf::default());
}

/// Run `f` with the loop's state; `None` when no loop runs on this thread.
pub(crate) fn with_core<R>(f: impl FnOnce(&mut Core) -> R) -> Option<R> {
    CORE.with(|c| c.try_borrow_mut().ok().and_then(|mut c| c.as_mut().map(f)))
}

/// Whether the loop is stopping because of an uncaught error.
pub(crate) fn stopping() -> bool {
    STOPPING.with(|s| s.get())
}

/// Record an uncaught error: the loop stops and `run` returns it.
pub(crate) fn uncaught(err: Error) {
    with_core(|c| {
        if c.uncaught.is_none() {
            c.uncaught = Some(err);
        }
    });
    STOPPING.with(|s| s.set(true));
}

/// Register a function that clears per-thread state when a loop ends.
pub(crate) fn on_teardown(f: fn()) {
    TEARDOWN.with(|t| {
        let mut t = t.borrow_mut();
        if !t.iter().any(|g| std::ptr::fn_addr_eq(*g, f)) {
            t.push(f);
        }
    });
}

/// Run a loop on this thread: call `setup`, then run until nothing keeps the loop alive.
///
/// Returns `Err` with the first `error` event that had no listener (Node's uncaught
/// exception), or when a loop already runs on this thread.
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// let fired = Rc::new(Cell::new(0));
/// let f = fired.clone();
/// nodenet::run(move || {
///     nodenet::set_timeout(5, move || f.set(f.get() + 1));
/// })?;
/// assert_eq!(fired.get(), 1);
/// # Ok::<(), nodenet::Error>(())
/// ```
pub fn run<F: FnOnce()>(setup: F) -> Result<()> {
    let running = CORE.with(|c| c.borrow().is_some());
    if running {
        return Err(Error::node(
            "ERR_LOOP_RUNNING",
            "a nodenet loop already runs on this thread",
        ));
    }
    let poll = Poll::new().map_err(|e| Error::from_io(&e, "epoll_create"))?;
    let waker = Arc::new(
        mio::Waker::new(poll.registry(), WAKER).map_err(|e| Error::from_io(&e, "eventfd"))?,
    );
    let core = Core {
        poll,
        kinds: [None; KINDS],
        requeued: Vec::new(),
        requeued_spare: Vec::new(),
        timers: Timers::default(),
        immediates: IdMap::default(),
        immediate_order: VecDeque::new(),
        immediate_spare: VecDeque::new(),
        immediates_refed: 0,
        ticks: VecDeque::new(),
        pending: VecDeque::new(),
        closing: Vec::new(),
        uncaught: None,
        now: Instant::now(),
        now_stale: false,
        pool: None,
        waker,
        req_done: HashMap::new(),
        remote: Arc::new(std::sync::Mutex::new(VecDeque::new())),
        next_id: 1,
    };
    CORE.with(|c| *c.borrow_mut() = Some(core));
    STOPPING.with(|s| s.set(false));
    ALIVE_HANDLES.with(|n| n.set(0));
    ACTIVE_REQS.with(|n| n.set(0));
    struct Guard;
    impl Drop for Guard {
        fn drop(&mut self) {
            let hooks: Vec<fn()> = TEARDOWN.with(|t| t.borrow().clone());
            for h in hooks {
                h();
            }
            let core = CORE.with(|c| c.borrow_mut().take());
            drop(core);
            READ_BUF.with(|b| *b.borrow_mut() = ReadBuf::default());
            STOPPING.with(|s| s.set(false));
            TICKS_QUEUED.with(|n| n.set(0));
            ALIVE_HANDLES.with(|n| n.set(0));
            ACTIVE_REQS.with(|n| n.set(0));
        }
    }
    let _guard = Guard;
    setup();
    drain_ticks();
    run_loop();
    let err = with_core(|c| c.uncaught.take()).flatten();
    match err {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn run_loop() {
    // The poll's event list lives here, outside the loop state: no state access takes it
    // out and puts it back around every poll.
    let mut events = Events::with_capacity(1024);
    run_timers(fresh_now());
    // One borrow of the loop state tells whether it lives and which phases have work.
    while let Some(work) = with_core(|c| {
        let alive = ALIVE_HANDLES.with(|n| n.get()) > 0
            || ACTIVE_REQS.with(|n| n.get()) > 0
            || c.timers.refed > 0
            || c.immediates_refed > 0
            || !c.pending.is_empty()
            || !c.closing.is_empty()
            || !c.requeued.is_empty();
        alive.then_some(!c.pending.is_empty())
    })
    .flatten()
    {
        if stopping() {
            break;
        }
        if work {
            run_pending();
            if stopping() {
                break;
            }
        }
        poll_io(&mut events);
        if stopping() {
            break;
        }
        // libuv (since 1.45; Node 24) runs the pending queue again right after the poll, up
        // to 8 rounds: a shutdown queued in the poll phase (uv_shutdown feeds its handle
        // to the pending queue) completes before this iteration's check and close phases.
        for _ in 0..8 {
            if with_core(|c| c.pending.is_empty()).unwrap_or(true) {
                break;
            }
            run_pending();
            if stopping() {
                break;
            }
        }
        if stopping() {
            break;
        }
        let (check, closing, timers) = with_core(|c| {
            (
                !c.immediate_order.is_empty(),
                !c.closing.is_empty(),
                c.timers.any(),
            )
        })
        .unwrap_or_default();
        if check {
            run_check();
            if stopping() {
                break;
            }
        }
        // Immediates may have closed handles.
        if closing || check {
            run_closing();
            if stopping() {
                break;
            }
        }
        // With no timer armed, the clock is not read here (libuv reads it in every
        // iteration): nothing is due, and a timer armed later reads the clock itself.
        // Immediates and close callbacks may have armed one.
        let timers = if check || closing {
            with_core(|c| c.timers.any()).unwrap_or(false)
        } else {
            timers
        };
        if timers {
            run_timers(fresh_now());
        }
    }
}

impl Core {
    /// The loop's cached time, read from the clock first if it went stale at the last
    /// poll.
    #[inline]
    fn now(&mut self) -> Instant {
        if self.now_stale {
            return self.fresh_now();
        }
        self.now
    }

    /// Read the clock into the loop's time and return it (libuv's `uv_update_time`): the
    /// timers phase's time, and where a timer starts (Node's `setTimeout` and `refresh`
    /// take their start from `getLibuvNow()`, which updates libuv's time first, so a timer
    /// armed late in a slow callback counts from then).
    fn fresh_now(&mut self) -> Instant {
        self.now = Instant::now();
        self.now_stale = false;
        self.now
    }
}

/// The loop's cached time (libuv's `uv_now`; when it is refreshed: the module doc's
/// "Time.").
pub(crate) fn now() -> Instant {
    with_core(|c| c.now()).unwrap_or_else(Instant::now)
}

/// Read the clock into the loop's time and return it (Node's `getLibuvNow()`, which
/// updates libuv's time first): where timers start and a socket's activity is stamped.
pub(crate) fn fresh_now() -> Instant {
    with_core(|c| c.fresh_now()).unwrap_or_else(Instant::now)
}

/// Run one callback, then drain the next-tick queue.
fn call(f: impl FnOnce()) {
    f();
    drain_ticks();
}

/// Drain the next-tick queue between two callbacks Node makes from native code within
/// one event or phase callback here; `false` when the loop is stopping (an uncaught error
/// in a tick), and the caller makes no more.
///
/// Node drains it after every callback it makes from native code, and libuv makes some
/// of those in a loop within one event: a read callback per chunk of a readable socket
/// (`uv__read`, up to 32 reads), a connection callback per accepted socket
/// (`uv__server_io`), or one after the other in one close callback here (a cancelled
/// write's failure, then the handle's close). The code that stands for those calls this
/// between them, so a tick queued by one runs before the next, as in Node.
#[inline]
pub(crate) fn between_callbacks() -> bool {
    drain_ticks();
    !stopping()
}

/// Drain the next-tick queue; the usual case (nothing queued) is one inlined load.
#[inline]
fn drain_ticks() {
    if TICKS_QUEUED.with(|n| n.get()) > 0 {
        drain_queued_ticks();
    }
}

#[cold]
#[inline(never)]
fn drain_queued_ticks() {
    while TICKS_QUEUED.with(|n| n.get()) > 0 && !stopping() {
        let Some(t) = with_core(|c| c.ticks.pop_front()).flatten() else {
            TICKS_QUEUED.with(|n| n.set(0));
            return;
        };
        TICKS_QUEUED.with(|n| n.set(n.get() - 1));
        t.run();
    }
}

#[inline(never)]
fn run_pending() {
    let n = with_core(|c| c.pending.len()).unwrap_or(0);
    for _ in 0..n {
        let Some(f) = with_core(|c| c.pending.pop_front()).flatten() else {
            return;
        };
        call(|| f.run());
        if stopping() {
            return;
        }
    }
}

fn poll_io(events: &mut Events) {
    // One access to the loop state for the timeout, the poll and what follows it: each
    // access is a thread-local lookup and a borrow, and at one connection the loop's own
    // work is a third of an echoed message's instructions.
    let Some((polled, requeued, kinds)) = with_core(|c| {
        // Nothing left alive (a pending callback just ended the last request, say): do
        // not sleep, so the loop sees it at the top and ends (libuv's backend timeout is 0
        // then too).
        let dead = ALIVE_HANDLES.with(|n| n.get()) <= 0
            && ACTIVE_REQS.with(|n| n.get()) <= 0
            && c.timers.refed == 0;
        let busy = !c.pending.is_empty()
            || c.immediates_refed > 0
            || !c.closing.is_empty()
            || !c.requeued.is_empty()
            || dead;
        let timeout = if busy {
            Some(Duration::ZERO)
        } else {
            // From the loop's cached time, as libuv computes its poll timeout.
            c.timers
                .next_deadline()
                .map(|d| d.saturating_duration_since(c.now()))
        };
        let polled = loop {
            match c.poll.poll(events, timeout) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                r => break r,
            }
        };
        POLL_ROUND.with(|r| r.set(r.get().wrapping_add(1)));
        // The loop's time is refreshed after the poll (libuv's `uv__io_poll`) when a timer
        // is armed. With none, it is only marked stale, and read when first asked for (a
        // socket's idle timeout touched; a timer armed reads it anyway, as Node's
        // setTimeout does): at one connection, the clock's read was a sixth to a quarter
        // of an echoed message's user time (perf: a cold path through libc and the vDSO
        // after the kernel's work).
        if c.timers.any() {
            c.fresh_now();
        } else {
            c.now_stale = true;
        }
        let requeued = if c.requeued.is_empty() {
            Vec::new()
        } else {
            let spare = std::mem::take(&mut c.requeued_spare);
            std::mem::replace(&mut c.requeued, spare)
        };
        (polled, requeued, c.kinds)
    }) else {
        return;
    };
    if let Err(e) = polled {
        log::error!("poll failed: {e}");
    }
    // A token names its handle directly: events are dispatched with no lookup in the loop
    // state. A stale token (its handle closed, or re-registered another stream) reaches a
    // handle that checks its generation and ignores it, or sees a spurious readiness it
    // handles as one (a read or write that would block).
    if requeued.capacity() > 0 {
        run_requeued(requeued, events, &kinds);
    }
    // In a batch of more than one event, the handles ahead are prefetched: the record of
    // the one after next, and what the next one's record points at (see
    // `IoKind::prefetch`). At 500 echo connections the first touch of a socket's state
    // and of its `data` listener took over a third of a message's user time (perf put the
    // samples on those two loads): misses, as the kernel's work for the other 499
    // sockets had evicted both. Prefetched, user CPU per message fell by 15-25% there in
    // alternating runs, for about 70 more instructions per event in a batch.
    // (Only where `prefetch_line` prefetches: elsewhere it would be work for nothing.)
    if !cfg!(target_arch = "x86_64") || events.iter().count() < 2 {
        for ev in events.iter() {
            deliver(&kinds, ev);
        }
        return;
    }
    deliver_batch(events, &kinds);
}

/// Deliver a batch of more than one event, prefetching ahead (out of line: at one
/// connection a batch is one event).
#[inline(never)]
fn deliver_batch(events: &Events, kinds: &[Option<Dispatch>; KINDS]) {
    let mut near = events.iter();
    let mut far = events.iter();
    prefetch(far.next(), None, kinds);
    prefetch(far.next(), None, kinds);
    near.next();
    for ev in events.iter() {
        if stopping() {
            break;
        }
        prefetch(far.next(), near.next(), kinds);
        deliver(kinds, ev);
    }
}

/// Dispatch one event of the poll.
#[inline(always)]
fn deliver(kinds: &[Option<Dispatch>; KINDS], ev: &mio::event::Event) {
    if ev.token() == WAKER {
        run_completions();
        return;
    }
    let read_closed = ev.is_read_closed();
    let ready = Ready {
        readable: ev.is_readable(),
        writable: ev.is_writable(),
        error: ev.is_error(),
        read_closed,
        hup: read_closed && ev.is_write_closed(),
    };
    if let Some((d, k)) = decode(kinds, ev.token().0) {
        call(|| (d.dispatch)(k, ready));
    }
}

/// Deliver the synthetic readiness of the requeued tokens (`requeue`), then hand their
/// list back for reuse. Out of line, as the other phases and the batch path are: the
/// loop's usual iteration at one connection then spans fewer lines of code. A message's
/// path there touched 83 distinct 64-byte lines of code before, 78 after (cachegrind with
/// a 2 KiB instruction cache, where every line of a longer path misses once), and lines
/// touched are what a loop that sleeps between messages reloads after the kernel's work.
///
/// A token the poll reports readable too gets no synthetic readiness: its real event,
/// delivered with the poll's others, reads it. libuv's level-triggered poll reports a
/// handle once per poll, so a socket read again at this poll (a short read after the
/// peer's FIN, a read budget spent) reads once here, with what the real event says (the
/// FIN, the error) known to that read.
#[inline(never)]
fn run_requeued(requeued: Vec<usize>, events: &Events, kinds: &[Option<Dispatch>; KINDS]) {
    let reads = |e: &mio::event::Event| e.is_readable() || e.is_read_closed() || e.is_error();
    // A sorted list of the tokens read by real events when both lists are long; a scan
    // of the events per token when the requeued are few (the usual case).
    let many = requeued.len() > 8;
    let read_tokens: Vec<usize> = if many {
        let mut v: Vec<usize> = events
            .iter()
            .filter(|e| reads(e))
            .map(|e| e.token().0)
            .collect();
        v.sort_unstable();
        v
    } else {
        Vec::new()
    };
    for token in &requeued {
        let Some((d, k)) = decode(kinds, *token) else {
            continue;
        };
        let real = if d.own_requeue {
            false
        } else if many {
            read_tokens.binary_search(token).is_ok()
        } else {
            events.iter().any(|e| e.token().0 == *token && reads(e))
        };
        if real {
            continue;
        }
        call(|| {
            (d.dispatch)(
                k,
                Ready {
                    readable: true,
                    writable: true,
                    ..Ready::default()
                },
            )
        });
        if stopping() {
            break;
        }
    }
    // Hand the list back as the spare for the next round: a requeue then costs no
    // allocation.
    let mut spare = requeued;
    spare.clear();
    with_core(|c| {
        if c.requeued_spare.capacity() == 0 {
            c.requeued_spare = spare;
        }
    });
}

#[inline(never)]
fn run_completions() {
    let calls = with_core(|c| {
        c.remote
            .lock()
            .map(|mut q| std::mem::take(&mut *q))
            .unwrap_or_default()
    })
    .unwrap_or_default();
    for f in calls {
        call(f);
        if stopping() {
            return;
        }
    }
    let done = with_core(|c| {
        c.pool.as_ref().and_then(|p| {
            p.completions
                .lock()
                .ok()
                .map(|mut q| std::mem::take(&mut *q))
        })
    })
    .flatten()
    .unwrap_or_default();
    for (id, out) in done {
        let cb = with_core(|c| {
            if let Some(p) = c.pool.as_mut() {
                p.finished();
            }
            c.req_done.remove(&id)
        })
        .flatten();
        req_end();
        if let Some(cb) = cb {
            call(|| cb(out));
        }
        if stopping() {
            return;
        }
    }
}

#[inline(never)]
fn run_check() {
    // The immediates queued before the phase run in it; those their callbacks queue go to
    // the list swapped in, for the next iteration (Node's rule).
    let mut order = with_core(|c| {
        let spare = std::mem::take(&mut c.immediate_spare);
        std::mem::replace(&mut c.immediate_order, spare)
    })
    .unwrap_or_default();
    for &id in &order {
        let imm = with_core(|c| {
            let imm = c.immediates.remove(&id);
            if let Some(i) = &imm
                && i.refed
            {
                c.immediates_refed -= 1;
            }
            imm
        })
        .flatten();
        if let Some(imm) = imm {
            call(imm.cb);
        }
        if stopping() {
            // Immediates not yet run stay queued for nobody; the loop ends.
            return;
        }
    }
    order.clear();
    with_core(|c| {
        if c.immediate_spare.capacity() == 0 {
            c.immediate_spare = order;
        }
    });
}

#[inline(never)]
fn run_closing() {
    let mut closing = with_core(|c| std::mem::take(&mut c.closing)).unwrap_or_default();
    // libuv keeps closing handles in a list it pushes to the front of: the handles closed
    // in one iteration get their close callbacks last-closed first (Node shows the same).
    // Once the loop stops, the callbacks not run are dropped with the drain.
    for f in closing.drain(..).rev() {
        call(|| f.run());
        if stopping() {
            break;
        }
    }
    if closing.capacity() > 0 {
        // Hand the list back for reuse, as the requeue list.
        with_core(|c| {
            if c.closing.is_empty() {
                c.closing = closing;
            }
        });
    }
}

#[inline(never)]
fn run_timers(now: Instant) {
    with_core(|c| c.timers.begin_phase());
    loop {
        if stopping() {
            return;
        }
        // One borrow of the loop state per timer, and one to learn that none is due.
        let Some(fire) = with_core(|c| {
            let Some(id) = c.timers.pop_due(now) else {
                return Due::Nothing;
            };
            let Some(e) = c.timers.entries.get_mut(&id) else {
                return Due::Skipped;
            };
            if e.repeat {
                let cb = match &e.cb {
                    Some(TimerCb::Repeat(f)) => f.clone(),
                    _ => return Due::Skipped,
                };
                // An interval's next run counts from the clock's time just before its
                // callback, as Node's (`getLibuvNow()` then): a slow timer ahead of it in
                // this phase pushes its next run back. It goes back in its list only after
                // the callback (see `Fire::Repeat`).
                let start = c.fresh_now();
                Due::Fire(Fire::Repeat(id, start, cb))
            } else {
                match c.timers.remove(id).and_then(|e| e.cb) {
                    Some(TimerCb::Once(f)) => Due::Fire(Fire::Once(f)),
                    _ => Due::Skipped,
                }
            }
        }) else {
            return;
        };
        match fire {
            Due::Nothing => return,
            Due::Skipped => {}
            Due::Fire(Fire::Once(f)) => call(f),
            Due::Fire(Fire::Repeat(id, start, f)) => call(|| {
                if let Ok(mut g) = f.try_borrow_mut() {
                    g()
                }
                // Re-armed after the callback and before its ticks, unless it cleared
                // itself, as Node's `listOnTimeout` does: behind the timers of its delay the
                // callback armed, and from `start` even if the callback refreshed it.
                with_core(|c| c.timers.rearm(id, start));
            }),
        }
    }
}

/// What the timer phase found at the top of the heap.
enum Due {
    Nothing,
    /// A stale or callback-less entry, dropped: look again.
    Skipped,
    Fire(Fire),
}

enum Fire {
    Once(Box<dyn FnOnce()>),
    /// An interval: its id, the time its next run counts from, and its callback.
    Repeat(u64, Instant, Rc<RefCell<dyn FnMut()>>),
}

// ---- what handles and requests use ----

/// Queue `f` on the next-tick queue.
pub fn next_tick(f: impl FnOnce() + 'static) {
    if with_core(|c| c.ticks.push_back(Task::new(f))).is_some() {
        TICKS_QUEUED.with(|n| n.set(n.get() + 1));
    }
}

/// Queue `f` for the pending phase of the next iteration.
pub(crate) fn defer(f: impl FnOnce() + 'static) {
    with_core(|c| c.pending.push_back(Task::new(f)));
}

/// Queue `f` for the close phase.
pub(crate) fn on_close_phase(f: impl FnOnce() + 'static) {
    with_core(|c| c.closing.push(Task::new(f)));
}

/// A handle became (`+1`) or stopped being (`-1`) both active and ref'd.
pub(crate) fn handle_alive(delta: isize) {
    ALIVE_HANDLES.with(|n| {
        n.set(n.get() + delta);
        debug_assert!(n.get() >= 0, "more handles released than counted");
    });
}

/// A request (write, shutdown, connect, lookup) started.
pub(crate) fn req_start() {
    ACTIVE_REQS.with(|n| n.set(n.get() + 1));
}

/// A request finished.
pub(crate) fn req_end() {
    ACTIVE_REQS.with(|n| {
        n.set(n.get() - 1);
        debug_assert!(n.get() >= 0, "more requests ended than started");
    });
}

/// Register an I/O source for reading and writing; events go to the kind's
/// `dispatch(key, ready)`.
pub(crate) fn register(
    source: &mut (impl mio::event::Source + ?Sized),
    dispatch: Dispatch,
    key: usize,
) -> std::io::Result<usize> {
    register_for(
        source,
        Interest::READABLE | Interest::WRITABLE,
        dispatch,
        key,
    )
}

/// Register for reading only (listeners).
pub(crate) fn register_readable(
    source: &mut (impl mio::event::Source + ?Sized),
    dispatch: Dispatch,
    key: usize,
) -> std::io::Result<usize> {
    register_for(source, Interest::READABLE, dispatch, key)
}

fn register_for(
    source: &mut (impl mio::event::Source + ?Sized),
    interest: Interest,
    dispatch: Dispatch,
    key: usize,
) -> std::io::Result<usize> {
    if key > KEY_MASK {
        return Err(std::io::Error::other("handle key out of range"));
    }
    with_core(|c| {
        let kind = match c
            .kinds
            .iter()
            .position(|k| k.is_some_and(|k| std::ptr::eq(k, dispatch)))
        {
            Some(i) => i,
            None => {
                let i = c
                    .kinds
                    .iter()
                    .position(Option::is_none)
                    .ok_or_else(|| std::io::Error::other("too many kinds of I/O handle"))?;
                c.kinds[i] = Some(dispatch);
                i
            }
        };
        let token = (kind << KIND_SHIFT) | key;
        c.poll.registry().register(source, Token(token), interest)?;
        Ok(token)
    })
    .unwrap_or_else(|| Err(std::io::Error::other("no loop")))
}

/// Remove an I/O source.
pub(crate) fn deregister(source: &mut (impl mio::event::Source + ?Sized), token: usize) {
    with_core(|c| {
        let _ = c.poll.registry().deregister(source);
        c.requeued.retain(|t| *t != token);
    });
}

thread_local! {
    /// Polls made by this thread's loop (see [`poll_round`]).
    static POLL_ROUND: Cell<u64> = const { Cell::new(0) };
}

/// Which poll of the loop the events being delivered came from: handles that act once per
/// poll (a listener) compare it with the one they last acted in.
pub(crate) fn poll_round() -> u64 {
    POLL_ROUND.with(|r| r.get())
}

/// Deliver a synthetic readiness to `token` in the next poll phase.
pub(crate) fn requeue(token: usize) {
    with_core(|c| {
        if !c.requeued.contains(&token) {
            c.requeued.push(token);
        }
    });
}

/// Run `work` on the thread pool; `done` gets its result in the poll phase.
pub(crate) fn queue_work<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
    done: impl FnOnce(T) + 'static,
) {
    let ok = with_core(|c| {
        let id = c.next_id;
        c.next_id += 1;
        let waker = c.waker.clone();
        let pool = c.pool.get_or_insert_with(|| pool::Pool::new(waker));
        pool.submit(id, Box::new(move || Box::new(work()) as pool::Done));
        c.req_done.insert(
            id,
            Box::new(move |out: pool::Done| {
                if let Ok(v) = (out as Box<dyn Any>).downcast::<T>() {
                    done(*v)
                }
            }),
        );
    });
    if ok.is_some() {
        req_start();
    }
}

/// Lend the loop's read buffer to `f`.
#[inline(always)]
pub(crate) fn with_read_buf<R>(f: impl FnOnce(&mut ReadBuf) -> R) -> Option<R> {
    READ_BUF.with(|b| b.try_borrow_mut().ok().map(|mut b| f(&mut b)))
}

// ---- timers and immediates for users ----

/// A timer from [`set_timeout`] or [`set_interval`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timer(u64);

/// An immediate from [`set_immediate`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Immediate(u64);

fn timer_delay(ms: u64) -> Duration {
    // Node: a delay below 1 ms or above 2^31-1 ms becomes 1 ms.
    if ms == 0 || ms > 0x7fff_ffff {
        Duration::from_millis(1)
    } else {
        Duration::from_millis(ms)
    }
}

fn new_timer(ms: u64, repeat: bool, cb: TimerCb) -> Timer {
    with_core(|c| {
        let id = c.next_id;
        c.next_id += 1;
        let now = c.fresh_now();
        c.timers.insert(id, now, timer_delay(ms), repeat, cb);
        Timer(id)
    })
    .unwrap_or(Timer(0))
}

/// Call `f` once after `ms` milliseconds (Node's `setTimeout`; 0 means 1).
///
/// As in Node, a delay over 2^31 - 1 ms means 1 ms, with a `TimeoutOverflowWarning` (see
/// [`crate::process`]).
pub fn set_timeout(ms: u64, f: impl FnOnce() + 'static) -> Timer {
    overflow_warning(ms);
    set_timeout_quiet(ms, f)
}

/// Call `f` every `ms` milliseconds until cleared (Node's `setInterval`); delays as
/// [`set_timeout`]'s.
pub fn set_interval(ms: u64, f: impl FnMut() + 'static) -> Timer {
    overflow_warning(ms);
    new_timer(ms, true, TimerCb::Repeat(Rc::new(RefCell::new(f))))
}

/// Node's warning for a user's timer delay that does not fit in 32 bits.
fn overflow_warning(ms: u64) {
    if ms > crate::process::TIMEOUT_MAX {
        crate::process::timeout_overflow(ms, "Timeout duration was set to 1.");
    }
}

/// A timer of the library's own (no warning for its delay).
pub(crate) fn set_timeout_quiet(ms: u64, f: impl FnOnce() + 'static) -> Timer {
    new_timer(ms, false, TimerCb::Once(Box::new(f)))
}

/// Cancel a timer (Node's `clearTimeout`); a fired or cleared timer is ignored.
pub fn clear_timeout(t: Timer) {
    // The callback is dropped once the loop state is released: its captures may run code
    // that arms or clears timers when dropped.
    let gone = with_core(|c| c.timers.remove(t.0));
    drop(gone);
}

/// Cancel an interval (Node's `clearInterval`).
pub fn clear_interval(t: Timer) {
    clear_timeout(t)
}

impl Timer {
    /// Stop this timer from keeping the loop alive.
    pub fn unref(self) -> Timer {
        with_core(|c| c.timers.set_ref(self.0, false));
        self
    }
    /// Let this timer keep the loop alive again (Node's `ref`).
    pub fn ref_(self) -> Timer {
        with_core(|c| c.timers.set_ref(self.0, true));
        self
    }
    /// Whether this timer keeps the loop alive: `false` once it has run (a timeout) or was
    /// cleared, where Node's `hasRef()` still reads the last flag.
    pub fn has_ref(self) -> bool {
        with_core(|c| c.timers.entries.get(&self.0).is_some_and(|e| e.refed)).unwrap_or(false)
    }
    /// Restart the timer's countdown from now (Node's `refresh`). Inside an interval's own
    /// callback it changes nothing, as in Node: the interval's next run counts from the
    /// time its callback began. A known difference: a timeout that already ran (or was
    /// cleared) stays done, where Node arms it again and runs its callback once more
    /// ([`set_timeout`] takes an `FnOnce`; scenario `timers_refresh_fired`).
    pub fn refresh(self) -> Timer {
        with_core(|c| {
            let now = c.fresh_now();
            c.timers.rearm(self.0, now)
        });
        self
    }
}

/// Call `f` in the check phase of this iteration (Node's `setImmediate`).
pub fn set_immediate(f: impl FnOnce() + 'static) -> Immediate {
    with_core(|c| {
        let id = c.next_id;
        c.next_id += 1;
        c.immediates.insert(
            id,
            ImmediateEntry {
                cb: Box::new(f),
                refed: true,
            },
        );
        c.immediate_order.push_back(id);
        c.immediates_refed += 1;
        Immediate(id)
    })
    .unwrap_or(Immediate(0))
}

/// Cancel an immediate (Node's `clearImmediate`).
pub fn clear_immediate(i: Immediate) {
    // Dropped once the loop state is released, as `clear_timeout`'s callback.
    let gone = with_core(|c| {
        let imm = c.immediates.remove(&i.0)?;
        if imm.refed {
            c.immediates_refed -= 1;
        }
        Some(imm)
    });
    drop(gone);
}

impl Immediate {
    /// Stop this immediate from keeping the loop alive.
    pub fn unref(self) -> Immediate {
        self.set_ref(false);
        self
    }
    /// Let this immediate keep the loop alive again.
    pub fn ref_(self) -> Immediate {
        self.set_ref(true);
        self
    }
    fn set_ref(self, refed: bool) {
        with_core(|c| {
            if let Some(imm) = c.immediates.get_mut(&self.0)
                && imm.refed != refed
            {
                imm.refed = refed;
                if refed {
                    c.immediates_refed += 1
                } else {
                    c.immediates_refed -= 1
                }
            }
        });
    }
}

type RemoteQueue = Arc<std::sync::Mutex<VecDeque<Box<dyn FnOnce() + Send>>>>;

/// A way into this thread's loop from other threads (libuv's `uv_async_t`): closures sent
/// with [`Remote::call`] run on the loop thread, in the poll phase. A `Remote` does not keep
/// the loop alive; a call sent after the loop ended is dropped.
#[derive(Clone)]
pub struct Remote {
    queue: RemoteQueue,
    waker: Arc<mio::Waker>,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Remote")
    }
}

impl Remote {
    /// Run `f` on the loop's thread. Returns `false` if the loop is gone.
    pub fn call(&self, f: impl FnOnce() + Send + 'static) -> bool {
        let Ok(mut q) = self.queue.lock() else {
            return false;
        };
        q.push_back(Box::new(f));
        drop(q);
        self.waker.wake().is_ok() && Arc::strong_count(&self.queue) > 1
    }
}

/// A [`Remote`] for the loop running on this thread, `None` outside a loop.
pub fn remote() -> Option<Remote> {
    with_core(|c| Remote {
        queue: c.remote.clone(),
        waker: c.waker.clone(),
    })
}

/// Whether a loop runs on this thread.
pub fn is_running() -> bool {
    with_core(|_| ()).is_some()
}
