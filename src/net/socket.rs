//! `Socket`: Node's `net.Socket`, a Duplex stream over a TCP or Unix connection.
//!
//! The stream rules kept here, from Node's `stream` and `net` modules:
//!
//! - **Reading.** A socket reads the kernel into its buffer as soon as it is connected
//!   (unless the server paused it on connect), but starts non-flowing: data reaches the
//!   user once a `data` listener, `resume()` or `read()` consumes it, so a late listener
//!   loses nothing. When the buffer reaches highWaterMark, the socket stops reading the
//!   kernel and TCP flow control pushes back on the sender. `end` is emitted, on next tick,
//!   once the peer's FIN is read and the buffer consumed; with allowHalfOpen false the
//!   socket then ends its own side on the following tick.
//! - **Paused reading and `readable`.** `read(n)` is Node's: it takes from the buffer
//!   (while flowing, one chunk at a time), emits what it returns as `data`, and ends the
//!   stream when it reads past the end. A `readable` listener stops the flow; Node's
//!   `needReadable` and `emittedReadable` flags decide when a buffered chunk, or the end,
//!   emits `readable` (on the next tick; the end's, at once), and Node's
//!   `readableListening` when the socket flows again after the last listener is removed
//!   (the tick after `off`, or after a once-listener's call). These flags live in one byte
//!   of the state (`RD_*`) that only paused and `readable` reading touch: the flowing
//!   socket's express lanes read none of them, and the `readable` tick is queued only
//!   while a listener listens, so a socket that never had one pays nothing for it.
//! - **Writing.** `write` tries the kernel at once when nothing is queued, and queues only
//!   the rest; the return value is computed after that attempt (`writable_length <
//!   highWaterMark`; strings count UTF-16 units, `bytes_written` counts bytes at once).
//!   As in Node (libuv), one write is in flight at a time and what queues behind it leaves
//!   as one group (Node's writev) once it is done: vectored `sendmsg` calls of at most
//!   IOV_MAX buffers, the group's callbacks and `writable_length` settled when its last
//!   byte is sent. A write from a user's call (`write`, `uncork`, `end`) that the kernel
//!   did not take whole is sent once more in the call, as libuv's `uv_write` tries once
//!   after Node's own try-write: what that second send meets (the rest taken, or the
//!   peer's reset) completes the write from the pending phase. After that, only a real
//!   EPOLLOUT edge resumes a blocked write, and a send the kernel took only in part
//!   counts as blocked (libuv waits for POLLOUT there too): the
//!   socket is out of room, and its next edge comes once a good part of the buffer is free,
//!   so one large send follows where sending again at once would make many small ones
//!   (mio's rule, write until `WouldBlock`: 4.4 sends per MiB against 1.3, medians of 5,
//!   when a server writes 1 MiB blocks to a fast reader on loopback). `drain` comes once
//!   per `false`, before the callbacks of the writes completed with it. Callbacks of writes
//!   completed inside a user's call (`write`, `uncork`, `end`) run on next tick.
//! - **Ending.** `end()` uncorks, sends FIN once the queue is flushed, then calls the
//!   `end` callbacks and emits `finish`. A socket whose both sides are done destroys itself;
//!   `close(had_error)` follows in the close phase.
//! - **Destroying.** `destroy(err)` closes at once: `error` on next tick, `close(true)` in
//!   the close phase. A write in flight is cancelled (ECANCELED, in the close phase, or
//!   the error its second send met) and the writes behind it and the `end` callbacks get
//!   the destroy error (without one, the in-flight write's error);
//!   with nothing in flight they get the error, or ERR_STREAM_DESTROYED, on next tick.
//!   An `end()` after a destroy without an error (before `close`) marks the socket ending,
//!   as Node's does: its callback is never called, and a later write fails with
//!   ERR_STREAM_WRITE_AFTER_END.
//!
//! - **Kernel reads.** Reads go into the loop's buffers (see `rt::readbuf`): a socket whose
//!   reads are small reads into a block shared by many small chunks, and its chunk is split
//!   off without a copy; a large reader, or one that buffers, reads 64 KiB into the loop's
//!   large buffer, handed out as a slice of it from 16 KiB up and copied into the shared
//!   block when smaller. A short read ends the reading for this event (edge-triggered epoll
//!   reports new data again), as libuv does, unless the peer's FIN or an error was reported
//!   with it. When the only `data` listener is a view ([`Socket::on_data_view`]) and the
//!   read is small, the chunk is not split off but lent: the block leaves the shared
//!   arena for the listener's call and comes back after it (`ReadBuf::lend`), so an owned
//!   chunk's reference count is neither raised nor dropped, and the next read lands where
//!   the lent one did.
//! - **`onread`** ([`OnRead`](super::OnRead), Node's `onread` option). A socket made with
//!   it reads in a lane of its own (`Socket::read_onread`), reached through a dispatch of
//!   its own (`ONREAD_KIND`, chosen when the socket registers, with `on_ready` compiled
//!   for it), so other sockets' reads do not change. Each read asks the kernel for at most the
//!   buffer's length, straight into the `Vec<u8>` the socket owns (libuv reads into the
//!   user's buffer the same way: no copy, and the read size is the user's); the buffer
//!   then leaves the state for the callback's call, lent as `&mut [u8]`, and comes back
//!   after it. A `false` from the callback or a `pause()` stops the kernel reads at once
//!   (`read_held`, as a paused connect holds its reads), so what was not read stays in the
//!   kernel, in order, until `resume()`; no chunk is built, buffered, decoded or emitted.
//!   The buffer is the socket's and not shared with the caller, as Rust's borrowing
//!   wants: the caller sees it only during the call, which is when Node's caller may
//!   rely on its contents anyway. With the function form
//!   ([`OnRead::with_buffer_fn`](super::OnRead::with_buffer_fn)) the buffer is given to the
//!   callback instead, and the function, called with no table borrowed after the callback,
//!   gives the next one (`Socket::make_onread_buffer`).
//! - **The user's code runs with no table borrowed.** Listeners are called from a snapshot
//!   taken in one state access, callbacks are taken out of the state before they run, and
//!   what holds the user's closures is dropped after the access that removed it (a closed
//!   socket's listeners, those `off()` removes): a closure's captures may run code when
//!   dropped, and that code may use any socket, this one's table included.
//! - **Lifetime.** The state lives until `close` has been emitted. A `connect()` from a
//!   `close` listener reuses the socket (Node's reconnect: listeners and encoding stay,
//!   counters start afresh); after that the handle is stale, and its methods answer
//!   defaults and do nothing (Node keeps the last values: a documented difference).
//!
//! Readable and writable logic live together in this file rather than in `stream/`: they
//! share one state record per socket (kept small: an idle socket holds no buffer), and
//! splitting them would cost an indirection on every event for no user-visible gain.

use std::cell::{Cell, RefCell};
use std::io::{ErrorKind, IoSlice};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroUsize;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::rc::Rc;
use std::time::Duration;

use bytes::Bytes;

use super::options::{
    BufferFn, ConnectOptions, KeepAlive, Lookup, LookupCallback, OnReadCallback, SocketOptions,
};
use super::queue::Queue;
use super::{AddressInfo, Chunk, Encoding, Server, utf16_len};
use crate::abort::{AbortListener, AbortSignal};
use crate::error::{Error, codes};
use crate::events::{self, EventTable, impl_emits, impl_emitter};
use crate::io::{self, IOV_MAX, KeepAliveSecs, MAX_RW_COUNT, Stream};
use crate::rt::{self, Ready};
use crate::stream::decoder::StringDecoder;

/// A TCP or Unix socket, Node's `net.Socket`: a small `Copy` id into the loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Socket {
    idx: u32,
    gen_: u32,
}

/// What a `lookup` event brings: Node's `(err, address, family, host)`.
#[derive(Clone, Debug)]
pub struct LookupInfo {
    /// The lookup's error, if it failed.
    pub error: Option<Error>,
    /// The resolved address.
    pub address: Option<String>,
    /// 4 or 6.
    pub family: Option<u8>,
    /// The host name that was looked up.
    pub host: String,
}

impl LookupInfo {
    /// The event for an address the lookup gave.
    fn answer(ip: IpAddr, host: String) -> LookupInfo {
        LookupInfo {
            error: None,
            address: Some(ip.to_string()),
            family: Some(if ip.is_ipv4() { 4 } else { 6 }),
            host,
        }
    }

    /// The event for a lookup that failed.
    fn failed(err: Error, host: String) -> LookupInfo {
        LookupInfo {
            error: Some(err),
            address: None,
            family: None,
            host,
        }
    }
}

/// One connection attempt: Node's `(ip, port, family)` of the `connectionAttempt*` events,
/// plus the error for `connectionAttemptFailed`. A connect to a Unix path has one attempt
/// too: its address is the path, and its port and family are 0 (Node's `undefined`).
#[derive(Clone, Debug)]
pub struct AttemptInfo {
    /// The address tried (the path, for a Unix socket).
    pub address: String,
    /// The port tried (0 for a Unix path).
    pub port: u16,
    /// 4 or 6 (0 for a Unix path).
    pub family: u8,
    /// Why the attempt failed (only for `connectionAttemptFailed`).
    pub error: Option<Error>,
}

type WriteCb = Box<dyn FnOnce(Option<Error>)>;

/// What a write did: queued or sent (`Ok(write's return value)`), or refused/failed.
type Wrote = Result<bool, Error>;

struct WriteReq {
    data: Bytes,
    off: usize,
    units: usize,
    cb: Option<WriteCb>,
}

// The write queue's and the read queue's boxes are recycled per thread (see `net::queue`).
super::queue::recycled!(WriteReq, Chunk);

struct Timeout {
    ms: u64,
    timer: Option<rt::Timer>,
    last_active: std::time::Instant,
}

struct Attempts {
    addrs: Vec<SocketAddr>,
    next: usize,
    errors: Vec<Error>,
    auto: bool,
    attempt_timeout: u64,
    timer: Option<rt::Timer>,
    /// What to bind before each attempt (Node's `localAddress` and `localPort`), when
    /// either is set: the IP (else the attempt family's any-address) and the port (else 0).
    local: Option<(Option<IpAddr>, u16)>,
    path: Option<String>,
    block_list: Option<std::rc::Rc<super::BlockList>>,
    /// The descriptor of an adopted [`BoundSocket`](super::BoundSocket), held from the
    /// adoption until the connect attempt uses it (or a destroy closes it).
    bound: Option<std::os::fd::OwnedFd>,
}

impl Attempts {
    /// No attempt yet: what a socket that adopted a bound socket holds until it connects.
    fn adopted(fd: std::os::fd::OwnedFd) -> Attempts {
        Attempts {
            addrs: Vec::new(),
            next: 0,
            errors: Vec::new(),
            auto: false,
            attempt_timeout: 0,
            timer: None,
            local: None,
            path: None,
            block_list: None,
            bound: Some(fd),
        }
    }
}

/// What `connect()` finds the socket ready for.
enum Start {
    /// Connecting already, connected, or gone: nothing to do.
    No,
    /// Go on, from the adopted bound socket if there is one; with the `onread` buffer
    /// maker to call for the handle connect() makes (none when a bound socket was adopted:
    /// its handle was made, and the maker called, then).
    Go(Option<std::os::fd::OwnedFd>, Option<std::rc::Rc<BufferFn>>),
}

/// A socket's state, in one entry of the socket table.
///
/// `repr(C)` keeps the fields in the order written: the ones every echoed message reads or
/// writes (lengths, flags, the queues, the byte counters, the cached `data` listener) come
/// first, in the first 128 bytes, and the entry is 64-byte aligned, so a message touches
/// two of the entry's four cache lines (256 bytes in all; the queues are one pointer each
/// while empty, see `net::queue`). The rest is used at connect, end or close.
#[derive(Default)]
#[repr(C, align(64))]
struct State {
    // ---- hot: every read and write
    gen_: u32,
    /// How many writes at the front of `wq` were handed to the kernel and are not done
    /// (Node's write in flight, `state.writing`); the ones behind them are buffered. At a
    /// destroy the ones in flight are cancelled (ECANCELED).
    inflight: u32,
    io: Option<Stream>,
    wq_len: usize,
    read_len: usize,
    hwm: usize,
    corked: u32,
    connecting: bool,
    /// The first write made while connecting was made uncorked: Node hands it to the
    /// stream's `_write` then, which holds it for the connect, so it leaves at connect even
    /// if the socket was corked since (the writes behind it wait for the uncork).
    connect_handed: bool,
    destroyed: bool,
    kernel_reading: bool,
    /// Large-read credit: while it is not 0, reads go into the loop's 64 KiB buffer rather
    /// than the small-chunk arena (`rt::readbuf::next_read_large`).
    read_large: u8,
    /// The peer's FIN or an error was reported: with edge-triggered epoll that report comes
    /// once, so a short read no longer means there is nothing left to read (the FIN or the
    /// error waits behind it): the socket reads again at the next poll
    /// (`read_again_next_poll`).
    hup_seen: bool,
    /// A synthetic readiness was asked for with `rt::requeue` (to read what may wait in the
    /// kernel): it says nothing about room to write. The next event may be it (or a real one
    /// that came first): it flushes only if the kernel reports POLLOUT now, as libuv writes
    /// only on POLLOUT.
    requeued: bool,
    ending: bool,
    shutdown_started: bool,
    /// A `finish` queued by [`Socket::finish_later`] for the pending phase and not made
    /// yet: [`FIN_QUEUED`], or [`FIN_QUEUED_SHUTDOWN`] when the shutdown is to be made
    /// first. A hang-up drains it at once (see `Socket::drain_on_hup`).
    fin_queued: u8,
    need_drain: bool,
    flowing: Option<bool>,
    resume_scheduled: bool,
    read_held: bool,
    eof: bool,
    refed: bool,
    counted_handle: bool,
    counted_req: bool,
    finished: bool,
    /// A write failed in the call (`Rare::errored` holds its error): the writes made
    /// until the destroy on next tick are buffered behind it, as on Node's errored stream,
    /// so no express lane sends them (a copy of the flag where `direct_io` looks).
    write_failed: bool,
    wq: Queue<WriteReq>,
    read_queue: Queue<Chunk>,
    decoder: Option<Box<StringDecoder>>,
    timeout: Option<Box<Timeout>>,
    bytes_read: u64,
    bytes_written: u64,
    /// Last of the hot fields: a message reads only the table's first field (the cached
    /// `data` listener), which ends the second cache line; the list behind it is cold.
    events: EventTable,

    // ---- cold: connect, options, end and close
    /// The poll token, while registered. Never 0 (a socket's key carries its generation,
    /// which is never 0, above bit 32), so the option costs no tag: 8 bytes, which keep
    /// the state within four cache lines in debug builds too (mio's debug streams carry a
    /// selector id).
    token: Option<NonZeroUsize>,
    server: Option<Server>,
    /// Keep-alive as last set (`None`: off), applied on connect; a call that repeats it
    /// makes no system call, as in Node.
    keep_alive: Option<KeepAliveSecs>,
    /// The type of service last set (Node's cached value): applied on connect, and what
    /// [`Socket::type_of_service`] answers without a TCP handle.
    tos: Option<u8>,
    /// The readable highWaterMark once `read(n)` raised it above `hwm` (0: not raised).
    read_hwm_raised: u32,
    had_handle: bool,
    allow_half_open: bool,
    no_delay: bool,
    /// Flags of paused and `readable` reading (`RD_*`), never read by the flowing
    /// socket's lanes: Node's flags of the `readable` event, and [`RD_REQUESTED`].
    rd: u8,
    end_scheduled: bool,
    end_emitted: bool,
    encoding: Option<Encoding>,
    /// The `close` listeners are running: a `connect()` now reuses the socket (Node's
    /// reconnect from a close listener) instead of finding it gone.
    closing: bool,
    /// A lookup of the single-address path (no happy eyeballs) is under way: Node emits
    /// its `lookup` event even if the socket was destroyed, or closed, meanwhile.
    lookup_single_pending: bool,
    /// The `onread` function was asked for the buffer of the handle the next `connect()`
    /// makes: by a `connect()` whose options were refused after Node had made the handle.
    onread_made: bool,
    /// The close kept the state (its `lookup` listeners) for that lookup's event; the
    /// lookup's answer frees it.
    free_after_lookup: bool,
    /// Reads go to the `onread` callback (`Rare::onread`) instead of `data`: the socket
    /// registers with `ONREAD_KIND`, whose `on_ready::<true>` takes every read through
    /// [`Socket::read_onread`].
    onread: bool,
    /// Callbacks of `end(cb)`: called with `None` just before `finish`, or with the error
    /// when the socket is destroyed first (Node's `kOnFinished`).
    // Boxed on purpose: 8 bytes in every socket's state instead of a 24-byte Vec that
    // almost no socket uses.
    #[allow(clippy::box_collection)]
    end_cbs: Option<Box<Vec<WriteCb>>>,
    attempts: Option<Box<Attempts>>,
    /// What few sockets need, in one box (8 bytes in every state, the box only for
    /// sockets that use it): the peer's address once read, the abort signal's listener.
    rare: Option<Box<Rare>>,
}

/// The part of a socket's state that few sockets need.
#[derive(Default)]
struct Rare {
    /// The peer's address once read: Node keeps `remoteAddress` after close once it was
    /// read.
    remote: Option<SocketAddr>,
    /// The abort `signal` the socket was made with and its listener there, removed at
    /// the destroy.
    abort: Option<AbortHook>,
    /// The `onread` buffer and callback; taken at the destroy (the callback is the user's
    /// code, dropped with no table borrowed). The buffer is out of it during a callback.
    onread: Option<super::OnRead>,
    /// Node's `autoSelectFamilyAttemptedAddresses`: `address:port` of every attempt of the
    /// last happy-eyeballs connect (set when it starts, with more than one address).
    attempted: Option<Vec<String>>,
    /// A write failed at once, on a socket that never had a handle (Node's `errored`,
    /// ERR_SOCKET_CLOSED): `end()` then starts no shutdown, and the callbacks a destroy
    /// fails get this error when the destroy has none.
    errored: Option<Error>,
    /// How many lookups through a [`LookupCallback`] are out (see
    /// `awaiting_user_lookup`): more than one after a reconnect during the first.
    user_lookups: u8,
    /// Writes made while connecting that a destroy found after the connect but before
    /// the first one's connect listener (`flush_at_connect`) ran: that listener fails them.
    at_connect: Option<Box<AtConnect>>,
    /// What a destroy left for Node's errorBuffer (`Socket::error_buffer`): run on the
    /// destroy's next tick, or by an after-write tick queued before it.
    error_buffer: Option<Box<ErrorBuffer>>,
    /// Read data a destroy found buffered can no longer be emitted: set on the tick the
    /// destroy queued (Node marks the stream `closeEmitted` there, before `close` itself).
    /// A flow or a `read()` before that tick still emits it, as Node's do; after it a flow
    /// takes it without emitting it (see `Socket::flow`). Here, not in the state, as only
    /// a socket destroyed with unread data needs it.
    read_cut: bool,
    /// The error of the second send of a write group the kernel took only part of (or
    /// none of) in a user's call (`State::send_again`): its writes fail with it from the
    /// pending phase (`State::flush_once`), or, when a destroy comes first, in the close
    /// phase, in place of the ECANCELED of a write the close cancels.
    again_failed: Option<Error>,
    /// The pipes from this socket (Node's `pipes` and `awaitDrainWriters`).
    pipes: Pipes,
    /// The error of the destroy, when it had one and no write had failed before: with
    /// `errored`, what [`Socket::errored`] answers (kept apart, as `errored` also decides
    /// how writes and `end()` fail).
    destroy_error: Option<Error>,
    /// The encoding of strings written without one (Node's `setDefaultEncoding`), when it
    /// is not UTF-8. Kept across a reconnect, as Node keeps it.
    default_encoding: Option<Encoding>,
}

/// What [`Rare::at_connect`] keeps: Node's write held for the connect finds the socket
/// destroyed by an earlier `connect` listener (a `resetAndDestroy()` made while
/// connecting, say) and fails at once with ERR_SOCKET_CLOSED; the writes buffered behind it
/// fail with it too (or with the destroy's error), and leave `writableLength` and
/// `bytesWritten` there.
struct AtConnect {
    cbs: Vec<Option<WriteCb>>,
    units: usize,
    bytes: u64,
    err: Option<Error>,
}

/// What [`Rare::error_buffer`] keeps: the write and end callbacks to fail, with their
/// errors, and the buffered bytes `bytesWritten` stops counting.
struct ErrorBuffer {
    fails: Vec<(WriteCb, Error)>,
    tick_drop: u64,
}

/// A socket's listener on its abort signal.
struct AbortHook {
    signal: AbortSignal,
    id: AbortListener,
}

#[cfg(test)]
#[test]
fn state_layout_keeps_what_a_message_touches_in_the_first_two_cache_lines() {
    use std::mem::offset_of;
    assert_eq!(std::mem::align_of::<State>(), 64);
    // Four cache lines in all (an idle connection's share of the socket table).
    assert!(size_of::<State>() <= 4 * 64, "{}", size_of::<State>());
    // The hot fields end with the event table, whose cached sole listener comes first.
    // (Debug builds of mio add a selector id to every stream: not counted, the layout
    // that matters is the release one, where a stream is its descriptor.)
    let debug_extra = size_of::<Option<Stream>>() - size_of::<u64>();
    assert!(offset_of!(State, bytes_written) < offset_of!(State, events));
    assert!(offset_of!(State, events) - debug_extra + EventTable::HOT_BYTES <= 2 * 64);
}

impl State {
    /// A closed socket made ready for a new connection: listeners, options and the
    /// encoding stay; stream state and byte counters start afresh, as Node's `connect()`
    /// on a destroyed socket does.
    fn reset_for_reconnect(&mut self) {
        let fresh = State {
            gen_: self.gen_,
            events: std::mem::take(&mut self.events),
            allow_half_open: self.allow_half_open,
            refed: self.refed,
            no_delay: self.no_delay,
            keep_alive: self.keep_alive,
            tos: self.tos,
            hwm: self.hwm,
            encoding: self.encoding,
            decoder: self.encoding.map(|e| Box::new(StringDecoder::new(e))),
            timeout: self.timeout.take().map(|mut t| {
                t.timer = None;
                t
            }),
            flowing: self.flowing,
            rd: self.rd & (RD_LISTENING | RD_RESUMED | RD_PAUSED),
            // Node keeps `autoSelectFamilyAttemptedAddresses` until a connect goes the
            // happy-eyeballs way again.
            rare: self.rare.as_mut().and_then(|r| {
                let attempted = r.attempted.take();
                let default_encoding = r.default_encoding;
                (attempted.is_some() || default_encoding.is_some()).then(|| {
                    Box::new(Rare {
                        attempted,
                        default_encoding,
                        ..Rare::default()
                    })
                })
            }),
            ..State::default()
        };
        *self = fresh;
    }

    /// Whether dropping this state would free nothing: every field that can own memory
    /// (or the user's closures) is empty, as a closed socket's are once `Socket::free`
    /// took its listeners. The pattern names every field, and every field not checked is
    /// required to be `Copy`, so that a field added to the state, or a field whose type
    /// comes to own something, does not compile until it is considered here.
    fn owns_nothing(&self) -> bool {
        let State {
            gen_,
            inflight,
            io,
            wq_len,
            read_len,
            hwm,
            corked,
            connecting,
            connect_handed,
            destroyed,
            kernel_reading,
            read_large,
            hup_seen,
            requeued,
            ending,
            shutdown_started,
            fin_queued,
            need_drain,
            flowing,
            resume_scheduled,
            read_held,
            eof,
            refed,
            counted_handle,
            counted_req,
            finished,
            write_failed,
            onread,
            wq,
            read_queue,
            decoder,
            timeout,
            bytes_read,
            bytes_written,
            events,
            token,
            server,
            keep_alive,
            tos,
            read_hwm_raised,
            had_handle,
            allow_half_open,
            no_delay,
            rd,
            end_scheduled,
            end_emitted,
            encoding,
            closing,
            lookup_single_pending,
            onread_made,
            free_after_lookup,
            end_cbs,
            attempts,
            rare,
        } = self;
        // The other fields are `Copy`: they own nothing.
        fn copy<T: Copy>(_: &T) {}
        copy(gen_);
        copy(inflight);
        copy(wq_len);
        copy(read_len);
        copy(hwm);
        copy(corked);
        copy(connecting);
        copy(connect_handed);
        copy(destroyed);
        copy(kernel_reading);
        copy(read_large);
        copy(hup_seen);
        copy(requeued);
        copy(ending);
        copy(shutdown_started);
        copy(fin_queued);
        copy(need_drain);
        copy(flowing);
        copy(resume_scheduled);
        copy(read_held);
        copy(eof);
        copy(refed);
        copy(counted_handle);
        copy(counted_req);
        copy(finished);
        copy(write_failed);
        copy(onread);
        copy(bytes_read);
        copy(bytes_written);
        copy(token);
        copy(server);
        copy(keep_alive);
        copy(tos);
        copy(read_hwm_raised);
        copy(had_handle);
        copy(allow_half_open);
        copy(no_delay);
        copy(rd);
        copy(end_scheduled);
        copy(end_emitted);
        copy(encoding);
        copy(closing);
        copy(lookup_single_pending);
        copy(onread_made);
        copy(free_after_lookup);

        io.is_none()
            && wq.is_unallocated()
            && read_queue.is_unallocated()
            && decoder.is_none()
            && timeout.is_none()
            && events.is_unallocated()
            && end_cbs.is_none()
            && attempts.is_none()
            && rare.is_none()
    }

    /// Take the `onread` option (see [`OnRead`](super::OnRead)), if given.
    fn set_onread(&mut self, onread: Option<super::OnRead>) {
        if let Some(o) = onread {
            self.onread = true;
            self.rare.get_or_insert_default().onread = Some(o);
        }
    }

    /// The buffer maker of an `onread` of the function form, to call for a new handle.
    fn onread_maker(&self) -> Option<std::rc::Rc<BufferFn>> {
        if !self.onread {
            return None;
        }
        self.rare.as_ref()?.onread.as_ref()?.callback.maker()
    }

    /// Whether the socket adopted a bound socket it has not connected yet.
    fn adopted_bound(&self) -> bool {
        self.attempts.as_ref().is_some_and(|a| a.bound.is_some())
    }

    /// The address of an adopted bound socket not yet connected.
    fn bound_addr(&self) -> Option<SocketAddr> {
        let fd = self.attempts.as_ref()?.bound.as_ref()?;
        io::bound_addr(fd).ok()
    }

    fn want_kernel_read(&self) -> bool {
        self.io.is_some()
            && !self.connecting
            && !self.destroyed
            && !self.eof
            && !self.read_held
            && self.under_read_hwm()
    }

    /// Whether the read buffer is under its highWaterMark (at least 1 byte): where the
    /// kernel reads stop.
    fn under_read_hwm(&self) -> bool {
        self.read_len < self.read_hwm().max(1)
    }

    /// Recompute what this socket contributes to the loop's liveness (O(1)).
    fn sync_liveness(&mut self) {
        let reading = self.want_kernel_read();
        if reading && !self.kernel_reading {
            // Edge-triggered: data may already wait in the kernel.
            if let Some(t) = self.token {
                self.requeued = true;
                rt::requeue(t.get());
            }
        }
        self.kernel_reading = reading;
        let handle = self.refed && reading;
        if handle != self.counted_handle {
            rt::handle_alive(if handle { 1 } else { -1 });
            self.counted_handle = handle;
        }
        let req = !self.destroyed
            && ((self.connecting && !self.awaiting_user_lookup())
                || (self.io.is_some()
                    && (!self.wq.is_empty() || (self.shutdown_started && !self.finished))));
        if req != self.counted_req {
            if req {
                rt::req_start()
            } else {
                rt::req_end()
            }
            self.counted_req = req;
        }
    }

    /// The uncork (or `end()`) of a socket corked since before its first write while
    /// connecting: Node's uncork hands the one buffered write to `_write`, which holds it
    /// for the connect, as a write made uncorked would have been (`connect_handed`): a
    /// destroy before the connect keeps it in `writableLength` and `bytesWritten` until
    /// `close` and fails it after, with ERR_SOCKET_CLOSED_BEFORE_CONNECTION. (Two or more
    /// writes go as one `_writev`, for which Node 24 counts `bytesWritten` as NaN: not
    /// followed.)
    fn hand_on_uncork(&mut self) {
        if self.connecting && !self.connect_handed && self.wq.len() == 1 {
            self.connect_handed = true;
        }
    }

    /// A short read after the peer's FIN or an error was reported: libuv stops reading at
    /// a short read, and its level-triggered poll reports the socket again at the next
    /// iteration, whose read finds the FIN or the error. So the end (or the error) of data
    /// and FIN that came in one poll is read one iteration after the data, after the
    /// immediates of the data's iteration and after the other sockets and listeners of its
    /// poll, as in Node; here a synthetic readiness at the next poll stands for libuv's
    /// second report (edge-triggered epoll makes none).
    #[cold]
    fn read_again_next_poll(&mut self) {
        if let Some(t) = self.token {
            self.requeued = true;
            rt::requeue(t.get());
        }
    }

    /// Whether a read of `n` bytes into `room` was short, so the event's last: the kernel
    /// is empty, unless the peer's FIN or an error was reported, when the socket reads
    /// again at the next poll (`read_again_next_poll`).
    #[inline(always)]
    fn short_read(&mut self, n: usize, room: usize) -> bool {
        let short = n < room;
        if short && self.hup_seen {
            self.read_again_next_poll();
        }
        short
    }

    /// A lookup through a [`LookupCallback`] is out: Node's connect has no request in
    /// flight then (only what the user's lookup itself waits on keeps its loop alive).
    #[cold]
    fn awaiting_user_lookup(&self) -> bool {
        self.rare.as_ref().is_some_and(|r| r.user_lookups > 0)
    }

    /// [`sync_liveness`](Self::sync_liveness) for a state just destroyed: it reads nothing
    /// and has no request, so it only gives back what it counted (a destroy and a free
    /// run this once per connection each).
    fn release_liveness(&mut self) {
        debug_assert!(self.destroyed);
        self.kernel_reading = false;
        if std::mem::take(&mut self.counted_handle) {
            rt::handle_alive(-1);
        }
        if std::mem::take(&mut self.counted_req) {
            rt::req_end();
        }
    }

    /// A TCP connect under way with no socket yet (its lookup, or the tick before the
    /// first attempt): Node has a TCP handle then but no descriptor in it, so the handle's
    /// socket options fail with EBADF. A Unix connect's handle (a pipe) has no such options.
    fn tcp_connect_without_socket(&self) -> bool {
        self.connecting
            && self.io.is_none()
            && self.attempts.as_ref().is_none_or(|a| a.path.is_none())
    }

    /// Activity for the idle timeout, stamped with a fresh read of the clock, as Node
    /// refreshes the socket's timer from `getLibuvNow()`: a write at the end of a slow
    /// callback counts from then, not from the poll that started the callback.
    #[inline]
    fn touch(&mut self) {
        if let Some(t) = self.timeout.as_mut() {
            t.last_active = rt::fresh_now();
        }
    }

    /// A write failed in the call: the stream is errored at once, as Node's (`Rare::errored`
    /// and its hot copy `write_failed`).
    fn error_now(&mut self, err: &Error) {
        self.rare.get_or_insert_default().errored = Some(err.clone());
        self.write_failed = true;
    }

    /// See [`Rare::read_cut`].
    fn read_cut(&self) -> bool {
        self.rare.as_ref().is_some_and(|r| r.read_cut)
    }

    fn read_hwm(&self) -> usize {
        if self.read_hwm_raised > 0 {
            self.read_hwm_raised as usize
        } else {
            self.hwm
        }
    }

    fn readable(&self) -> bool {
        !self.destroyed && !self.end_emitted
    }

    /// Node's `writable`: not destroyed, not ending, and no write failed (`errored`).
    fn writable(&self) -> bool {
        !self.destroyed && !self.ending && self.errored().is_none()
    }

    /// Whether `end` is due now (the readable side is done and nothing is buffered); marks
    /// it scheduled. `consumer`: asked by the read side itself, not by `flow`.
    fn end_due(&mut self, consumer: bool) -> bool {
        let ok = self.eof
            && self.read_queue.is_empty()
            && !self.end_emitted
            && !self.end_scheduled
            && !self.destroyed
            && (consumer || self.flowing == Some(true));
        if ok {
            self.end_scheduled = true;
        }
        ok
    }

    /// What follows the `end` event: `Some(true)` to end the writable side (no half-open),
    /// `Some(false)` to destroy (it had finished already), `None` nothing.
    fn after_end(&self) -> Option<bool> {
        if self.destroyed {
            None
        } else if self.writable() && !self.allow_half_open {
            Some(true)
        } else if self.finished {
            Some(false)
        } else {
            None
        }
    }

    /// The stream a write may be sent on at once, as the express lanes do: connected,
    /// uncorked, nothing queued, neither ending nor destroyed, no write failed.
    #[inline(always)]
    fn direct_io(&self) -> Option<&Stream> {
        if self.wq.is_empty()
            && self.corked == 0
            && !self.connecting
            && !self.ending
            && !self.destroyed
            && !self.write_failed
        {
            self.io.as_ref()
        } else {
            None
        }
    }

    /// Count an express write of `n` bytes the kernel took whole; `write`'s return value.
    #[inline(always)]
    fn wrote_whole(&mut self, n: usize) -> bool {
        self.bytes_written += n as u64;
        self.touch();
        self.wq_len < self.hwm
    }

    /// Start the writable side's shutdown once it is ending and flushed (Node's
    /// `finishMaybe` reaching `final`): the FIN goes out now, `finish` follows.
    fn begin_finish(&mut self) -> Fin {
        self.begin_finish_from(false)
    }

    /// As [`begin_finish`](State::begin_finish); `from_end`: called by `end()` itself.
    /// Node's `final` then asks libuv for the shutdown with nothing left to write, and
    /// libuv only queues it for the pending phase of the next loop iteration: the FIN is
    /// not sent in the call, and a destroy in the same tick closes without one (a reset,
    /// when unread data is left). Such a shutdown is `Fin::Shutdown`, made in the pending
    /// phase just before `finish`, unless destroyed by then. (A shutdown started when
    /// the last queued write completes goes out at once, as libuv's drain does.)
    fn begin_finish_from(&mut self, from_end: bool) -> Fin {
        if !self.ending
            || self.shutdown_started
            || self.destroyed
            || !self.wq.is_empty()
            || self.connecting
        {
            return Fin::Nothing;
        }
        self.shutdown_started = true;
        match self.io.as_ref() {
            // The readable side has ended (`end` was emitted, so the peer's FIN was read
            // and nothing more can come): `finish` is followed by the destroy for certain
            // (`destroy_after_finish`), and the close sends the FIN, since nothing unread
            // is left for it to answer with a reset. A `shutdown` now would be a system
            // call for nothing (one in nine of a connection's at the churn benchmark, the
            // raw baseline does not make it); the peer sees the FIN a few microseconds
            // later, at the close in the pending phase. Node's shutdown errors are
            // ignored, so none is lost; and a `reset_and_destroy` meanwhile is refused
            // (EINVAL) and closes gracefully, so no reset can overtake the FIN.
            Some(_) if self.end_emitted => Fin::Deferred,
            Some(_) if from_end => Fin::Shutdown,
            Some(io) => {
                let _ = io.shutdown_write();
                Fin::Deferred
            }
            // An adopted bound socket not connected: Node's shutdown request on its
            // handle completes without error (there is nothing to send a FIN on).
            None if self.adopted_bound() => Fin::Deferred,
            None if self.had_handle => Fin::Nothing,
            None => Fin::Tick,
        }
    }

    /// The error of a write that failed at once on a socket never connected (Node's
    /// `errored`), if one did.
    fn errored(&self) -> Option<&Error> {
        self.rare.as_ref()?.errored.as_ref()
    }

    /// The error that broke the stream (what [`Socket::errored`] answers): a failed
    /// write's, else the destroy's.
    fn stream_error(&self) -> Option<&Error> {
        let r = self.rare.as_ref()?;
        r.errored.as_ref().or(r.destroy_error.as_ref())
    }

    /// Set the encoding of strings written without one; UTF-8 takes no record.
    fn set_default_encoding(&mut self, encoding: Encoding) {
        if encoding != Encoding::Utf8 {
            self.rare.get_or_insert_default().default_encoding = Some(encoding);
        } else if let Some(r) = self.rare.as_mut() {
            r.default_encoding = None;
        }
    }

    /// The encoding of a string written without one (see [`Socket::set_default_encoding`]).
    #[inline]
    fn default_encoding(&self) -> Encoding {
        self.rare
            .as_ref()
            .and_then(|r| r.default_encoding)
            .unwrap_or(Encoding::Utf8)
    }

    /// Whether `finish` was queued on next tick by `end()` on a socket that never had a
    /// handle (Node's `final` completing at once, `Fin::Tick`): that `finish` comes even
    /// if the socket is destroyed meanwhile, and calls the end callbacks without an error,
    /// as Node's queued `finish` does.
    fn finish_on_tick(&self) -> bool {
        self.shutdown_started && !self.had_handle
    }

    /// Whether a socket that just finished is destroyed now: its readable side ended too,
    /// or it never had a handle.
    fn destroy_after_finish(&self) -> bool {
        !self.destroyed && (self.end_emitted || !self.had_handle)
    }
}

thread_local! {
    static SOCKETS: RefCell<Table> = const { RefCell::new(Table::new()) };
    static NEXT_GEN: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
    /// How many destroys left an errorBuffer to run (`Rare::error_buffer`): while there
    /// are none, the end of a write's completion (`Socket::after_write`) looks no further.
    static ERROR_BUFFERS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// The socket table: a slab whose entries are the states themselves.
///
/// A vacant entry is a default state, generation 0, and a handle's generation is never 0,
/// so the one generation check of every access also says whether the entry is in use. A
/// `slab::Slab` stored its occupied/vacant tag in a niche of the state, a `bool` in a cold
/// cache line: every message touched that line for the tag alone (cachegrind, echo 64 B
/// at 500 connections: one more first-level miss per message).
struct Table {
    slots: Vec<State>,
    /// Vacant slots, reused last-freed first.
    free: Vec<u32>,
}

impl Table {
    const fn new() -> Table {
        Table {
            slots: Vec::new(),
            free: Vec::new(),
        }
    }

    /// The state at `idx` if it is in use under generation `gen_`.
    #[inline]
    fn get_mut(&mut self, idx: u32, gen_: u32) -> Option<&mut State> {
        self.slots
            .get_mut(idx as usize)
            .filter(|st| st.gen_ == gen_ && gen_ != 0)
    }

    /// Take a vacant slot, let `init` set up the default state it holds, give it
    /// generation `gen_` (not 0) and return its index.
    ///
    /// The state is built where it stays: a state built first and moved in was copied
    /// twice on the way (256 bytes each time) and its vacant predecessor dropped field by
    /// field (churn: about 80 instructions per connection, callgrind).
    fn insert_with(&mut self, gen_: u32, init: impl FnOnce(&mut State)) -> u32 {
        debug_assert_ne!(gen_, 0);
        let idx = match self.free.pop() {
            Some(idx) => idx,
            None => {
                self.slots.push(State::default());
                (self.slots.len() - 1) as u32
            }
        };
        let st = &mut self.slots[idx as usize];
        debug_assert_eq!(st.gen_, 0, "slot {idx} is in use");
        init(st);
        st.gen_ = gen_;
        idx
    }

    /// Vacate slot `idx` (in use): its state is dropped where it is and replaced by a
    /// default one, as `insert_with` expects. Taking it out first copied its 256 bytes to
    /// the stack before the drop (churn: about 25 instructions per connection, callgrind).
    fn remove(&mut self, idx: u32) {
        let st = &mut self.slots[idx as usize];
        debug_assert_ne!(st.gen_, 0, "slot {idx} is vacant");
        if st.owns_nothing() {
            // Nothing to free: the drop (a dozen fields' checks and calls, about 130
            // instructions per closed connection) is skipped.
            // SAFETY: `st` is a valid, aligned state; writing over it without dropping it
            // leaks what it owns, and it owns nothing.
            unsafe { std::ptr::write(st, State::default()) };
        } else {
            *st = State::default();
        }
        self.free.push(idx);
    }
}

#[cfg(test)]
#[test]
fn a_state_owns_nothing_only_with_every_owning_field_empty() {
    assert!(State::default().owns_nothing());
    let st = State {
        rare: Some(Box::new(Rare {
            remote: Some(SocketAddr::from(([127, 0, 0, 1], 1))),
            abort: None,
            onread: None,
            attempted: None,
            errored: None,
            user_lookups: 0,
            at_connect: None,
            read_cut: false,
            error_buffer: None,
            again_failed: None,
            pipes: Pipes::default(),
            destroy_error: None,
            default_encoding: None,
        })),
        ..State::default()
    };
    assert!(!st.owns_nothing());
    let mut st = State::default();
    st.wq.push_back(WriteReq {
        data: Bytes::from_static(b"x"),
        off: 0,
        units: 1,
        cb: None,
    });
    assert!(!st.owns_nothing());
    st.wq.pop_front();
    assert!(!st.owns_nothing(), "an emptied queue keeps its allocation");
    st.wq.release();
    assert!(st.owns_nothing());
    let mut st = State::default();
    st.events.add::<Chunk, _>(DATA, |_| {}, false, false);
    assert!(!st.owns_nothing());
    drop(std::mem::take(&mut st.events));
    assert!(st.owns_nothing());
}

#[cfg(test)]
#[test]
fn table_checks_generation_and_reuses_vacant_slots() {
    let mut t = Table::new();
    let a = t.insert_with(7, |st| st.hwm = 5);
    let b = t.insert_with(8, |_| {});
    assert_ne!(a, b);
    assert_eq!(t.get_mut(a, 7).map(|st| st.hwm), Some(5));
    assert!(t.get_mut(a, 8).is_none(), "another generation is stale");
    assert!(t.get_mut(9, 7).is_none(), "out of range");
    t.remove(a);
    assert!(t.get_mut(a, 7).is_none(), "a removed entry is vacant");
    assert!(
        t.get_mut(a, 0).is_none(),
        "generation 0 never matches a vacant entry"
    );
    let c = t.insert_with(9, |_| {});
    assert_eq!(c, a, "the vacant slot is reused");
    assert_eq!(
        t.get_mut(c, 9).map(|st| st.hwm),
        Some(State::default().hwm),
        "a reused slot starts from a default state"
    );
    assert!(t.get_mut(c, 9).is_some() && t.get_mut(b, 8).is_some());
}

/// An int socket option of `s`'s descriptor, for tests that check what reached the kernel.
#[cfg(test)]
fn sockopt(s: Socket, level: libc::c_int, name: libc::c_int) -> Option<i32> {
    let fd = s.get(|st| st.io.as_ref().map(Stream::fd)).flatten()?;
    io::getsockopt_int(fd, level, name).ok()
}

#[cfg(test)]
#[test]
fn keep_alive_settings_and_the_type_of_service_reach_the_kernel_as_node_sets_them() {
    use crate::net::events::{Connect, Connection, Listening};
    use std::cell::RefCell;
    use std::rc::Rc;
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let seen2 = seen.clone();
    crate::run(move || {
        let server = crate::net::create_server();
        server.on(Connection, |c| {
            c.end();
        });
        let seen = seen2.clone();
        server.on(Listening, move |_| {
            let port = server.address().map(|a| a.port()).unwrap_or(0);
            let c = crate::net::connect(ConnectOptions {
                keep_alive: true,
                keep_alive_initial_delay: 3_500,
                type_of_service: Some(0x20),
                ..ConnectOptions::from((port, "127.0.0.1"))
            });
            let seen = seen.clone();
            let ka = move |c: Socket| {
                let g = |l, n| sockopt(c, l, n).unwrap_or(-1);
                format!(
                    "{} {} {} {}",
                    g(libc::SOL_SOCKET, libc::SO_KEEPALIVE),
                    g(libc::IPPROTO_TCP, libc::TCP_KEEPIDLE),
                    g(libc::IPPROTO_TCP, libc::TCP_KEEPINTVL),
                    g(libc::IPPROTO_TCP, libc::TCP_KEEPCNT)
                )
            };
            c.on(Connect, move |_| {
                let mut log = seen.borrow_mut();
                // The connect options: a whole-second idle time, Node's 1 s and 10 probes.
                log.push(ka(c));
                log.push(format!("tos {:?}", c.type_of_service().ok()));
                c.set_keep_alive_with(KeepAlive {
                    enable: true,
                    initial_delay: 7_999,
                    interval: 2_000,
                    count: 3,
                });
                log.push(ka(c));
                // The same settings again: no system call (checked once with strace).
                c.set_keep_alive_with(KeepAlive {
                    enable: true,
                    initial_delay: 7_000,
                    interval: 2_999,
                    count: 3,
                });
                // A zero interval sets only SO_KEEPALIVE: the rest stays as it was.
                c.set_keep_alive_with(KeepAlive {
                    enable: true,
                    initial_delay: 9_000,
                    interval: 999,
                    count: 5,
                });
                log.push(ka(c));
                c.set_keep_alive(false, 0);
                log.push(ka(c));
                // Linux keeps a TCP socket's two ECN bits: 0xff reads back as 0xfc.
                log.push(format!("set {:?}", c.set_type_of_service(0xff).is_ok()));
                log.push(format!("tos {:?}", c.type_of_service().ok()));
                c.destroy();
                server.close();
            });
        });
        server.listen((0, "127.0.0.1"));
    })
    .unwrap();
    assert_eq!(
        *seen.borrow(),
        [
            "1 3 1 10",
            "tos Some(32)",
            "1 7 2 3",
            "1 7 2 3",
            "0 7 2 3",
            "set true",
            "tos Some(252)",
        ]
    );
}

#[cfg(test)]
#[test]
fn connect_with_an_option_node_throws_for_destroys_the_socket_with_that_error() {
    use crate::net::events::{Close, Connect, Error as ErrorEvent};
    use std::cell::RefCell;
    use std::rc::Rc;
    let log: Rc<RefCell<Vec<String>>> = Rc::default();
    let log2 = log.clone();
    crate::run(move || {
        let c = crate::net::connect(ConnectOptions {
            local_address: Some("foobar".into()),
            ..ConnectOptions::from((9, "127.0.0.1"))
        });
        let l = log2.clone();
        c.on(Connect, move |_| l.borrow_mut().push("connect".into()));
        let l = log2.clone();
        c.on(ErrorEvent, move |e| {
            l.borrow_mut().push(format!("error {}", e.code()))
        });
        let l = log2.clone();
        c.on(Close, move |h| l.borrow_mut().push(format!("close {h}")));
        log2.borrow_mut()
            .push(format!("destroyed {}", c.destroyed()));
    })
    .unwrap();
    assert_eq!(
        *log.borrow(),
        [
            "destroyed true",
            "error ERR_INVALID_IP_ADDRESS",
            "close true"
        ]
    );
}

#[cfg(test)]
#[test]
fn an_idle_timeout_over_32_bits_is_cut_to_the_most_a_timer_takes_not_polled_every_ms() {
    use crate::net::events::{Connect, Connection, Listening, Timeout};
    use std::cell::Cell;
    use std::rc::Rc;
    // Before the cut, the timer of 2^40 ms ran in 1 ms (a plain timer's overflow) and
    // found the socket not idle for long enough, again every millisecond: a poll each.
    let polls = Rc::new(Cell::new(0u64));
    let fired = Rc::new(Cell::new(false));
    let (p, f) = (polls.clone(), fired.clone());
    crate::run(move || {
        let server = crate::net::create_server();
        server.on(Connection, |_| {});
        server.on(Listening, move |_| {
            let port = server.address().map_or(0, |a| a.port());
            let c = crate::net::connect(ConnectOptions::from((port, "127.0.0.1")));
            let f = f.clone();
            c.on(Timeout, move |_| f.set(true));
            let p = p.clone();
            c.on(Connect, move |_| {
                c.set_timeout(1 << 40);
                let start = rt::poll_round();
                let p = p.clone();
                crate::set_timeout(60, move || {
                    p.set(rt::poll_round() - start);
                    c.destroy();
                    server.close();
                });
            });
        });
        server.listen((0, "127.0.0.1"));
    })
    .unwrap();
    assert!(!fired.get());
    assert!(polls.get() < 10, "{} polls in 60 ms", polls.get());
}

#[cfg(test)]
#[test]
fn a_state_kept_for_a_lookup_event_after_its_close_is_freed_by_the_answer() {
    use crate::net::events::{Close, Lookup};
    use std::cell::Cell;
    use std::rc::Rc;
    let seen = Rc::new(Cell::new((0, 0)));
    // Sockets in the table a while after the second answer (the run's end empties it
    // anyway, so it is read inside the run).
    let in_use = Rc::new(Cell::new(usize::MAX));
    let (seen2, u) = (seen.clone(), in_use.clone());
    crate::run(move || {
        for with_close in [true, false] {
            let s = crate::net::connect(ConnectOptions {
                auto_select_family: false,
                ..ConnectOptions::from((9, "localhost"))
            });
            s.destroy();
            let (l, u) = (seen2.clone(), u.clone());
            s.on(Lookup, move |_| {
                l.set((l.get().0 + 1, l.get().1));
                if l.get().0 == 2 {
                    let u = u.clone();
                    crate::set_timeout(50, move || u.set(sockets_in_use()));
                }
            });
            if with_close {
                let l = seen2.clone();
                s.on(Close, move |_| l.set((l.get().0, l.get().1 + 1)));
            }
        }
    })
    .unwrap();
    // Both lookups answered (after or before the closes), and nothing was left in the table.
    assert_eq!(seen.get(), (2, 1));
    assert_eq!(in_use.get(), 0);
}

#[cfg(test)]
#[test]
fn a_state_kept_for_a_lookup_event_is_freed_when_the_lookup_callback_is_dropped() {
    use crate::net::events::{Close, Lookup};
    use crate::net::{LookupCallback, Resolver};
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    let kept: Rc<RefCell<Option<LookupCallback>>> = Rc::default();
    let closes = Rc::new(Cell::new(0));
    // Sockets in the table before and after the drop (the run's end empties it anyway).
    let in_use = Rc::new(Cell::new((usize::MAX, usize::MAX)));
    let (k, c, u) = (kept.clone(), closes.clone(), in_use.clone());
    crate::run(move || {
        let k2 = k.clone();
        let s = crate::net::connect(ConnectOptions {
            auto_select_family: false,
            lookup: Some(Resolver::with_callback(move |_, _, cb| {
                *k2.borrow_mut() = Some(cb);
            })),
            ..ConnectOptions::from((9, "example.test"))
        });
        s.on(Lookup, |_| panic!("no answer came"));
        let c = c.clone();
        s.on(Close, move |_| c.set(c.get() + 1));
        s.destroy();
        // After the close, the state waits for the lookup's event; the timer drops the
        // callback unanswered (the lookup keeps nothing alive: the timer does).
        let k = k.clone();
        crate::set_timeout(20, move || {
            let before = sockets_in_use();
            drop(k.borrow_mut().take());
            u.set((before, sockets_in_use()));
        });
    })
    .unwrap();
    assert_eq!(closes.get(), 1);
    assert!(kept.borrow().is_none());
    assert_eq!(in_use.get(), (1, 0));
}

/// Sockets in use in this thread's table.
#[cfg(test)]
fn sockets_in_use() -> usize {
    SOCKETS.with(|t| {
        let t = t.borrow();
        t.slots.len() - t.free.len()
    })
}

#[cfg(test)]
#[test]
fn a_closed_socket_frees_its_state_with_or_without_listeners_for_its_end() {
    use crate::net::events::{Close, Connect, Connection, Data, End, Finish, Listening};
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    // The server's sockets have no `end`, `finish` or `close` listener (each step goes on in
    // the same state access); the clients have all three (each step emits and reads the
    // state again). Both kinds must be freed once closed, and the clients' events must come
    // in Node's order.
    let in_use = Rc::new(Cell::new(usize::MAX));
    let log = Rc::new(RefCell::new(Vec::new()));
    let (in_use2, log2) = (in_use.clone(), log.clone());
    crate::run(move || {
        let server = crate::net::create_server();
        server.on(Connection, |s| {
            s.on(Data, |_| {});
        });
        server.once(Listening, move |_| {
            let port = server.address().map(|a| a.port()).unwrap_or(0);
            let closed = Rc::new(Cell::new(0));
            for i in 0..4 {
                let c = crate::net::connect((port, "127.0.0.1"));
                c.on(Connect, move |_| {
                    c.end_with("bye");
                });
                let l = log2.clone();
                c.on(End, move |_| l.borrow_mut().push(format!("{i} end")));
                let l = log2.clone();
                c.on(Finish, move |_| l.borrow_mut().push(format!("{i} finish")));
                let (l, closed, in_use) = (log2.clone(), closed.clone(), in_use2.clone());
                c.on(Close, move |had_error| {
                    l.borrow_mut().push(format!("{i} close {had_error}"));
                    closed.set(closed.get() + 1);
                    if closed.get() == 4 {
                        server.close();
                        let in_use = in_use.clone();
                        crate::set_timeout(20, move || in_use.set(sockets_in_use()));
                    }
                });
            }
        });
        server.listen((0, "127.0.0.1"));
    })
    .unwrap();
    assert_eq!(in_use.get(), 0);
    let log = log.borrow();
    assert_eq!(log.len(), 12, "{log:?}");
    for i in 0..4 {
        let mine: Vec<&String> = log
            .iter()
            .filter(|e| e.starts_with(&format!("{i} ")))
            .collect();
        assert_eq!(
            mine,
            [
                &format!("{i} finish"),
                &format!("{i} end"),
                &format!("{i} close false")
            ]
        );
    }
}

#[cfg(test)]
#[test]
fn a_view_listener_gets_each_lent_chunk_and_a_nested_socket_does_not_disturb_it() {
    use crate::net::events::{Connection, Data, End, Listening};
    use std::cell::RefCell;
    use std::rc::Rc;
    // Lockstep messages through a view listener that, inside the call, makes and destroys
    // another socket and writes the lent bytes back; what the client gets back is what it
    // sent (under Miri: no use of the lent buffer after it is given back).
    let got = Rc::new(RefCell::new(Vec::new()));
    let g = got.clone();
    crate::run(move || {
        let server = crate::net::create_server();
        server.on(Connection, |s| {
            s.on_data_view(move |bytes| {
                let other = Socket::new(SocketOptions::default());
                other.destroy();
                s.write_slice(bytes);
            });
        });
        server.once(Listening, move |_| {
            let port = server.address().map(|a| a.port()).unwrap_or(0);
            let c = crate::net::connect((port, "127.0.0.1"));
            c.write("one");
            let (g, n) = (g.clone(), std::cell::Cell::new(0));
            c.on(Data, move |chunk| {
                g.borrow_mut()
                    .push(String::from_utf8_lossy(chunk.as_bytes()).into_owned());
                n.set(n.get() + 1);
                match n.get() {
                    1 => {
                        c.write("two, longer");
                    }
                    2 => {
                        c.write("3");
                    }
                    _ => {
                        c.end();
                    }
                }
            });
            c.on(End, move |_| {
                server.close();
            });
        });
        server.listen((0, "127.0.0.1"));
    })
    .unwrap();
    assert_eq!(*got.borrow(), ["one", "two, longer", "3"]);
}

/// A value a test's listener captures that, when dropped, destroys another socket and makes
/// a new one (as a proxy's session might end its other side), then logs `NAME dropped,
/// fresh destroyed: false` when both reached the socket table.
#[cfg(test)]
struct Guard(
    Socket,
    &'static str,
    std::rc::Rc<std::cell::RefCell<Vec<String>>>,
);

#[cfg(test)]
impl Drop for Guard {
    fn drop(&mut self) {
        self.0.destroy();
        let fresh = Socket::new(SocketOptions::default());
        let line = format!("{} dropped, fresh destroyed: {}", self.1, fresh.destroyed());
        self.2.borrow_mut().push(line);
        fresh.destroy();
    }
}

#[cfg(test)]
#[test]
fn a_listener_dropped_with_its_socket_or_by_off_may_use_other_sockets() {
    use crate::net::events::{Close, Data, Error};
    use std::cell::RefCell;
    use std::rc::Rc;
    // A guard captured by a listener: its drop runs when the listener goes, with its
    // socket's state or at `off`.
    let log = Rc::new(RefCell::new(Vec::new()));
    let log2 = log.clone();
    crate::run(move || {
        let (a, b, c, d) = (
            Socket::new(SocketOptions::default()),
            Socket::new(SocketOptions::default()),
            Socket::new(SocketOptions::default()),
            Socket::new(SocketOptions::default()),
        );
        for (s, name) in [(b, "b"), (d, "d")] {
            let l = log2.clone();
            s.on(Close, move |_| l.borrow_mut().push(format!("{name} close")));
        }
        // `a` closes quietly (no `close` listener): its state, and the guard, go in the
        // close phase.
        let g = Guard(b, "a's guard", log2.clone());
        a.on(Error, move |_| {
            let _ = &g;
        });
        a.destroy();
        // `c`'s listener is removed while `c` lives.
        let g = Guard(d, "c's guard", log2.clone());
        let id = c.on(Data, move |_| {
            let _ = &g;
        });
        c.off(Data, id);
        c.destroy();
    })
    .unwrap();
    let log = log.borrow();
    assert!(
        log.contains(&"c's guard dropped, fresh destroyed: false".to_string()),
        "{log:?}"
    );
    assert!(
        log.contains(&"a's guard dropped, fresh destroyed: false".to_string()),
        "{log:?}"
    );
    assert!(log.contains(&"b close".to_string()), "{log:?}");
    assert!(log.contains(&"d close".to_string()), "{log:?}");
}

#[cfg(test)]
#[test]
fn a_connected_sockets_listeners_are_dropped_after_its_quiet_close_with_the_table_free() {
    use crate::net::events::{Close, Connection, Data, End, Listening};
    use std::cell::RefCell;
    use std::rc::Rc;
    // The server's socket has no `close` listener, so its close frees its state in the
    // same access; its `data` listener holds a guard.
    let log = Rc::new(RefCell::new(Vec::new()));
    let log2 = log.clone();
    crate::run(move || {
        let other = Socket::new(SocketOptions::default());
        let l = log2.clone();
        other.on(Close, move |_| l.borrow_mut().push("other close".into()));
        let server = crate::net::create_server();
        let l = log2.clone();
        server.on(Connection, move |s| {
            let g = Guard(other, "guard", l.clone());
            s.on(Data, move |_| {
                let _ = &g;
            });
        });
        server.once(Listening, move |_| {
            let port = server.address().map(|a| a.port()).unwrap_or(0);
            let c = crate::net::connect((port, "127.0.0.1"));
            c.end_with("bye");
            c.on(End, move |_| {
                server.close();
            });
        });
        server.listen((0, "127.0.0.1"));
    })
    .unwrap();
    assert_eq!(
        *log.borrow(),
        ["guard dropped, fresh destroyed: false", "other close"]
    );
}

fn teardown() {
    let all = SOCKETS.with(|s| std::mem::replace(&mut *s.borrow_mut(), Table::new()));
    drop(all);
}

/// Reads one readiness event may make before the socket re-queues itself behind the other
/// handles (`read_kernel`): libuv's count per event in `uv__read` (32), so at most 2 MiB of
/// 64 KiB reads per round, as in Node. With 16, a bulk upload went round the loop (and its
/// poll) twice as often: 5 alternating pairs of runs had 9% fewer user samples per GiB at
/// 32, lower in every pair.
const READ_BUDGET: usize = 32;

/// The `data` event's slot in a socket's listener table.
const DATA: u8 = <Socket as events::Emits<events::Data>>::SLOT;
/// The `readable` event's slot.
const READABLE: u8 = <Socket as events::Emits<events::Readable>>::SLOT;
/// The slots of the `pause` and `resume` events: emitted only when they have a listener.
const PAUSE: u8 = <Socket as events::Emits<events::Pause>>::SLOT;
const RESUME: u8 = <Socket as events::Emits<events::Resume>>::SLOT;

// Node's Readable flags for the `readable` event, in `State::rd`. A socket that never had
// a `readable` listener only keeps them up to date in its paused reads; the ticks that
// emit the event are queued only while one listens, as the event without a listener does
// nothing a trace could see (a flowing socket's data goes out by the flow it is in).
/// `readableListening`: a `readable` listener was added (cleared on the tick after the
/// last one is removed). The socket does not flow while it is set.
const RD_LISTENING: u8 = 1;
/// `needReadable`: the next chunk buffered emits `readable`.
const RD_NEED: u8 = 2;
/// `emittedReadable`: a `readable` tick is queued and has not emitted yet.
const RD_EMITTED: u8 = 4;
/// `resume()` was called since the last `pause()` (Node's `kHasPaused` without `kPaused`).
const RD_RESUMED: u8 = 8;
/// `resume()` or `read()` was called: Node then reads once connected even if the socket
/// is paused again by then (their `read(0)` asked for it).
const RD_REQUESTED: u8 = 16;
/// Node's `sync` of a socket made without a handle: set until a read first asks the
/// socket to read (a `read()`, the resume's tick, or the connect of a socket not paused),
/// and while it is, an `unshift()` on a flowing socket buffers its chunk.
const RD_SYNC: u8 = 32;
/// `pause()` was called since the last `resume()` (Node's `kPaused` true): isPaused()
/// answers true then even after the flow state went back to null (the tick after the last
/// `readable` listener is removed).
const RD_PAUSED: u8 = 64;
/// The slots of the events of a socket's end and close. When one has no listener, the step
/// that would emit it goes on in the same state access (an emit is a table access of its
/// own, and a listener could change the state, so the step reads it again after one).
const END: u8 = <Socket as events::Emits<events::End>>::SLOT;
const FINISH: u8 = <Socket as events::Emits<events::Finish>>::SLOT;
const CLOSE: u8 = <Socket as events::Emits<events::Close>>::SLOT;
const LOOKUP: u8 = <Socket as events::Emits<events::Lookup>>::SLOT;

impl Socket {
    /// Run `f` on this socket's state, then bring its liveness up to date.
    fn with<R>(self, f: impl FnOnce(&mut State) -> R) -> Option<R> {
        self.with_state(|st| {
            let r = f(st);
            st.sync_liveness();
            r
        })
    }

    /// Read this socket's state (nothing changes, so liveness needs no sync); `None` for
    /// a stale handle.
    #[inline]
    fn get<R>(self, f: impl FnOnce(&State) -> R) -> Option<R> {
        self.with_state(|st| f(st))
    }

    /// Run `f` on this socket's state; `None` for a stale handle.
    #[inline]
    fn with_state<R>(self, f: impl FnOnce(&mut State) -> R) -> Option<R> {
        SOCKETS.with(|t| {
            let mut t = t.try_borrow_mut().ok()?;
            let st = t.get_mut(self.idx, self.gen_)?;
            Some(f(st))
        })
    }

    fn with_events<R>(&self, f: impl FnOnce(&mut EventTable) -> R) -> Option<R> {
        // Listeners do not change what keeps the loop alive: no liveness sync here.
        self.with_state(|st| f(&mut st.events))
    }

    fn listener_added(&self, slot: u8) {
        // A `data` listener starts the flow unless the socket was paused (or a `readable`
        // listener stopped it).
        if slot == DATA {
            self.resume_impl(true);
        } else if slot == READABLE {
            self.readable_listener_added();
        }
    }

    /// Node's `removeListener` hook: the last `readable` listener gone, the socket goes
    /// back to what its other listeners and calls ask for, on the next tick (so that a
    /// `once('readable')` listener that adds another in its call keeps the socket paused).
    fn listener_removed(&self, slot: u8) {
        if slot == READABLE {
            let s = *self;
            rt::next_tick(move || s.update_readable_listening());
        }
    }

    /// The first `readable` listener: the flow stops (`readableFlowing` false) and a
    /// `readable` comes on the next tick if data is buffered; with none, the next tick's
    /// `read(0)` starts reading (or ends the stream, if its end came already).
    fn readable_listener_added(self) {
        let r = self.with(|st| {
            if st.end_emitted || st.rd & RD_LISTENING != 0 {
                return None;
            }
            st.rd = (st.rd | RD_LISTENING | RD_NEED) & !RD_EMITTED;
            st.flowing = Some(false);
            Some(if st.read_len > 0 {
                st.emit_readable()
            } else {
                false
            })
        });
        match r.flatten() {
            Some(true) => rt::next_tick(move || self.emit_readable_tick()),
            Some(false) => rt::next_tick(move || {
                self.read(Some(0));
            }),
            None => {}
        }
    }

    /// Node's `updateReadableListening`, the tick after a `readable` listener was removed.
    fn update_readable_listening(self) {
        let resume = self.with(|st| {
            if st.events.has(READABLE) {
                st.rd |= RD_LISTENING;
            } else {
                st.rd &= !RD_LISTENING;
            }
            if st.rd & RD_RESUMED != 0 && st.resume_scheduled {
                // The resume under way flows now.
                st.flowing = Some(true);
                false
            } else if st.events.has(DATA) {
                true
            } else {
                if st.rd & RD_LISTENING == 0 {
                    st.flowing = None;
                }
                false
            }
        });
        if resume == Some(true) {
            self.resume();
        }
    }

    /// Node's `emitReadable_`: `readable`, unless the socket was destroyed or errored, or
    /// has nothing to say (no data, no end); then whether the next chunk needs another one,
    /// and the flow, if the socket flows.
    fn emit_readable_tick(self) {
        let emit =
            self.get(|st| !st.destroyed && st.errored().is_none() && (st.read_len > 0 || st.eof));
        let emitted = emit == Some(true);
        if emitted {
            self.emit(events::Readable, ());
        }
        let flowing = self.with_state(|st| {
            if emitted {
                st.rd &= !RD_EMITTED;
            }
            if st.flowing != Some(true) && !st.eof && st.read_len <= st.read_hwm() {
                st.rd |= RD_NEED;
            }
            st.flowing == Some(true)
        });
        if flowing == Some(true) {
            self.flow_impl(false);
        }
    }

    fn key(self) -> usize {
        ((self.gen_ as usize) << 32) | self.idx as usize
    }

    fn from_key(key: usize) -> Socket {
        Socket {
            idx: key as u32,
            gen_: (key >> 32) as u32,
        }
    }

    /// A new socket whose state is a default one set up by `init`.
    fn insert(init: impl FnOnce(&mut State)) -> Socket {
        let gen_ = NEXT_GEN.with(rt::next_gen);
        let (idx, first) = SOCKETS.with(|t| {
            let mut t = t.borrow_mut();
            let first = t.slots.is_empty();
            (t.insert_with(gen_, init), first)
        });
        // The teardown hook, once per table (a loop's teardown leaves a new, empty one),
        // rather than a search of the hook list at every connection.
        if first {
            rt::on_teardown(teardown);
        }
        Socket { idx, gen_ }
    }

    fn remove(self) {
        let left = SOCKETS.with(|t| {
            let mut t = t.try_borrow_mut().ok()?;
            t.get_mut(self.idx, self.gen_)?;
            Some(Socket::free(&mut t, self.idx))
        });
        // Dropped with the table released.
        drop(left);
    }

    /// Free the state in slot `idx` (in use) and give back what it counted for the
    /// loop's liveness. Its listeners are handed back, for the caller to drop once it has
    /// let go of the table: their captures may run code when dropped, such as a guard that
    /// ends another socket or makes a new one, and that code needs the table. The rest of
    /// the state holds none of the user's code by then (a destroy took its callbacks), and
    /// is dropped in place: handing back the whole state copied its 256 bytes on each move
    /// (churn: about 180 instructions per connection more, callgrind).
    #[must_use = "the listeners are dropped once the table is released"]
    fn free(t: &mut Table, idx: u32) -> EventTable {
        let st = &mut t.slots[idx as usize];
        st.refed = false;
        st.destroyed = true;
        st.release_liveness();
        let listeners = std::mem::take(&mut st.events);
        t.remove(idx);
        listeners
    }

    /// A new, unconnected socket (Node's `new net.Socket(options)`); call
    /// [`connect`](Socket::connect) on it.
    ///
    /// With a [`signal`](SocketOptions::signal), the socket is destroyed with an
    /// `AbortError` when it aborts. One that has already aborted destroys the socket here:
    /// `error` on next tick, then `close(true)`, and a `connect()` after that does nothing.
    /// (Node 24 emits that `error` at the same point, then `close` with no `had_error`
    /// argument, but leaves the socket undestroyed: a `connect()` goes on and connects,
    /// its readable side already closed. We keep to what Node documents instead.)
    pub fn new(opts: SocketOptions) -> Socket {
        let s = Socket::insert(|st| {
            st.allow_half_open = opts.allow_half_open;
            st.hwm = opts.high_water_mark;
            st.refed = true;
            st.tos = opts.type_of_service;
            st.rd = RD_SYNC;
            st.set_onread(opts.onread);
            st.set_default_encoding(opts.default_encoding);
        });
        if let Some(signal) = opts.signal {
            s.destroy_on_abort(signal);
        }
        s
    }

    /// Node's socket `signal`: destroy with an `AbortError` (whose cause is the reason)
    /// when it aborts, now if it has already; the listener goes at the destroy.
    fn destroy_on_abort(self, signal: AbortSignal) {
        if let Some(reason) = signal.reason() {
            self.destroy_with(Error::abort(Some(reason)));
            return;
        }
        let id = signal.on_abort(move |reason| {
            self.destroy_with(Error::abort(Some(reason)));
        });
        self.with_state(|st| {
            st.rare.get_or_insert_default().abort = Some(AbortHook { signal, id })
        });
    }

    /// Wrap a connected socket the caller already has (Node's `new net.Socket({ fd })`):
    /// a TCP or Unix stream socket, made non-blocking here.
    ///
    /// As in Node, the socket is open at once: readable and writable, not `pending`, not
    /// `connecting`, with no `connect` or `ready` event, and it starts reading the kernel
    /// as a connected socket does (its data waits for a `data` listener or `resume()`).
    /// `opts.type_of_service` is set at once, as on a connect. `fd` is an `OwnedFd` or
    /// anything that converts to one (`std::net::TcpStream`,
    /// `std::os::unix::net::UnixStream`, a socket2 socket...).
    ///
    /// # Errors
    /// As Node throws them: a descriptor that is not a TCP or Unix stream socket gets
    /// `ERR_INVALID_FD_TYPE` (`Unsupported fd type: FILE`, `UDP`, `TTY`, `UNKNOWN`). Node
    /// also wraps a FIFO (`PIPE`) as a socket; nodenet refuses it with `Unsupported fd
    /// type: PIPE`, as its sockets send with `send(2)`, which a pipe does not take. Should
    /// registering it with the loop fail, an error with syscall `open`.
    ///
    /// Ownership: the descriptor is given up by the call. On `Ok` it is the socket's,
    /// which closes it when destroyed; on an error it is closed before the call returns
    /// (Node leaves a refused number open: in Rust, what was handed over is dropped).
    /// [`Socket::from_raw_fd`] takes a number, as Node does.
    ///
    /// ```
    /// use std::io::Read;
    /// use nodenet::net::{Socket, SocketOptions};
    ///
    /// let (ours, mut theirs) = std::os::unix::net::UnixStream::pair()?;
    /// // The other end reads to our FIN, then closes, which ends our socket.
    /// let peer = std::thread::spawn(move || {
    ///     let mut got = String::new();
    ///     theirs.read_to_string(&mut got).map(|_| got)
    /// });
    /// nodenet::run(move || {
    ///     let s = Socket::from_fd(ours, SocketOptions::default()).expect("a stream socket");
    ///     assert!(!s.pending() && !s.connecting());
    ///     s.end_with("hi");
    /// })?;
    /// assert_eq!(peer.join().expect("peer")?, "hi");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_fd(fd: impl Into<OwnedFd>, opts: SocketOptions) -> Result<Socket, Error> {
        let stream = match io::stream_from_fd(fd.into()) {
            Ok(Ok(stream)) => stream,
            Ok(Err(e)) => return Err(Error::from_io(&e, "open")),
            Err(kind) => return Err(codes::invalid_fd_type(kind.node_name())),
        };
        if let Some(tos) = opts.type_of_service {
            // Applied at once, as on connect: the socket is connected already.
            let _ = stream.set_type_of_service(tos);
        }
        let make = opts.onread.as_ref().and_then(|o| o.callback.maker());
        let s = Socket::insert(|st| {
            st.allow_half_open = opts.allow_half_open;
            st.hwm = opts.high_water_mark;
            st.refed = true;
            st.had_handle = true;
            st.tos = opts.type_of_service;
            st.set_onread(opts.onread);
            st.set_default_encoding(opts.default_encoding);
        });
        if let Err(e) = s.attach(stream) {
            s.remove();
            return Err(Error::from_io(&e, "open"));
        }
        if let Some(make) = make {
            // The handle is made here: the `onread` function gives the first buffer now.
            s.make_onread_buffer(&*make);
        }
        if let Some(signal) = opts.signal {
            // As for `Socket::new`: one that has already aborted destroys it here.
            s.destroy_on_abort(signal);
        }
        Ok(s)
    }

    /// [`Socket::from_fd`] from a raw descriptor number, as Node's `new net.Socket({ fd })`
    /// takes one: a negative number is refused with `ERR_OUT_OF_RANGE`, as in Node.
    ///
    /// # Safety
    /// A number `>= 0` must be an open descriptor that the caller owns and hands over:
    /// nothing else may use or close it afterwards (a refused one is closed).
    pub unsafe fn from_raw_fd(fd: RawFd, opts: SocketOptions) -> Result<Socket, Error> {
        if fd < 0 {
            let e = super::address::AddressError::out_of_range(
                "fd",
                0,
                i64::from(i32::MAX),
                i64::from(fd),
            );
            return Err(Error::node("ERR_OUT_OF_RANGE", e.message));
        }
        // SAFETY: the caller hands over an open descriptor it owns.
        Socket::from_fd(unsafe { OwnedFd::from_raw_fd(fd) }, opts)
    }

    /// Adopt a [`BoundSocket`](super::BoundSocket) (Node's
    /// `new net.Socket({ handle: bound })`), to [`connect`](Socket::connect) from its
    /// address and port.
    ///
    /// Until it connects, the socket has a handle but no connection, as in Node: not
    /// `pending`, not `connecting`, `ready_state` `"open"`, and `local_port` the bound
    /// port. It does not read and does not keep the loop alive. Its `connect()` makes one
    /// lookup (the `family` option as given) and one attempt from the bound socket, with
    /// no happy eyeballs. A local address or port in the connect options is what Node's
    /// `connect()` throws `ERR_INVALID_ARG_VALUE` for: [`try_connect`](Socket::try_connect)
    /// returns it with the socket left as it was, `connect` destroys the socket with it.
    /// An address the kernel refuses at once (an IPv6-bound socket asked to reach an
    /// IPv4 address) destroys the socket with the error
    /// `connect EINVAL 127.0.0.1:3000 - Local (::1:4000)`; so does a Unix path
    /// (`connect EINVAL /tmp/s.sock - Local (127.0.0.1:4000)`), as Node gives the path to
    /// the TCP handle it adopted.
    ///
    /// Before a connect, as in Node: a write goes to the kernel, which refuses it (the
    /// write's callback, `error` and `close(true)` with `write EPIPE`); `end()` completes
    /// (`finish`) and the socket stays open, its readable side never ending.
    ///
    /// The descriptor is the socket's from here on, closed when the socket is destroyed,
    /// connected or not. `ERR_SOCKET_HANDLE_ADOPTED` when the bound socket was adopted or
    /// closed already.
    ///
    /// ```
    /// use nodenet::net::{self, BoundSocket, BoundSocketOptions, Socket, SocketOptions, events::*};
    ///
    /// nodenet::run(|| {
    ///     let server = net::create_server();
    ///     server.on(Connection, |c| {
    ///         c.end();
    ///     });
    ///     server.on(Listening, move |_| {
    ///         let port = server.address().map(|a| a.port()).unwrap_or(0);
    ///         let bound = BoundSocket::new(BoundSocketOptions::default().host("127.0.0.1"))
    ///             .expect("bind");
    ///         let from = bound.address().expect("not adopted yet").port;
    ///         let s = Socket::from_bound(&bound, SocketOptions::default()).expect("adopt");
    ///         assert!(!s.pending() && s.local_port() == Some(from));
    ///         s.connect((port, "127.0.0.1"));
    ///         s.on(Connect, move |_| assert_eq!(s.local_port(), Some(from)));
    ///         s.on(Close, move |_| {
    ///             server.close();
    ///         });
    ///         s.resume();
    ///     });
    ///     server.listen((0, "127.0.0.1"));
    /// })?;
    /// # Ok::<(), nodenet::Error>(())
    /// ```
    pub fn from_bound(bound: &super::BoundSocket, opts: SocketOptions) -> Result<Socket, Error> {
        let fd = bound.take()?;
        let make = opts.onread.as_ref().and_then(|o| o.callback.maker());
        let s = Socket::insert(|st| {
            st.allow_half_open = opts.allow_half_open;
            st.hwm = opts.high_water_mark;
            st.refed = true;
            // A handle: a destroy closes in the close phase, as Node's does.
            st.had_handle = true;
            st.tos = opts.type_of_service;
            st.set_onread(opts.onread);
            st.set_default_encoding(opts.default_encoding);
            st.attempts = Some(Box::new(Attempts::adopted(fd)));
        });
        if let Some(make) = make {
            // The handle is adopted here: the `onread` function gives the first buffer now.
            s.make_onread_buffer(&*make);
        }
        if let Some(signal) = opts.signal {
            // As for `Socket::new`: one that has already aborted destroys it here.
            s.destroy_on_abort(signal);
        }
        Ok(s)
    }

    /// Wrap an accepted connection (the server calls this before `connection`).
    pub(crate) fn accepted(
        stream: Stream,
        server: Server,
        opts: &super::ServerOptions,
    ) -> Option<Socket> {
        let keep_alive = opts
            .keep_alive
            .then(|| KeepAlive::new(true, opts.keep_alive_initial_delay))
            .and_then(KeepAlive::secs);
        let s = Socket::insert(|st| {
            st.allow_half_open = opts.allow_half_open;
            st.hwm = opts.high_water_mark;
            st.refed = true;
            st.had_handle = true;
            st.server = Some(server);
            st.read_held = opts.pause_on_connect;
            if opts.pause_on_connect {
                st.flowing = Some(false);
                // Node's socket made paused asks for no read (`pauseOnCreate`): `sync`
                // until one is.
                st.rd = RD_SYNC;
            }
            st.keep_alive = keep_alive;
        });
        if opts.no_delay {
            let _ = stream.set_nodelay(true);
        }
        if let Some(k) = keep_alive {
            let _ = stream.set_keepalive(true, k);
        }
        if s.attach_as(stream, &KIND).is_err() {
            s.remove();
            return None;
        }
        Some(s)
    }

    /// Register the stream with the loop and cache its addresses.
    fn attach(self, stream: Stream) -> std::io::Result<()> {
        // An `onread` socket's events go to a dispatch of their own (`ONREAD_KIND`), so
        // the other sockets' event handling does not carry its lane.
        let onread = self.get(|st| st.onread).unwrap_or(false);
        self.attach_as(stream, if onread { &ONREAD_KIND } else { &KIND })
    }

    /// [`attach`](Socket::attach) with the dispatch kind known (an accepted socket is never
    /// an `onread` one: no state access to ask).
    fn attach_as(self, mut stream: Stream, kind: &'static rt::IoKind) -> std::io::Result<()> {
        let token = rt::register(stream.source(), kind, self.key())?;
        self.with(|st| {
            st.io = Some(stream);
            debug_assert_ne!(token, 0, "a socket's token carries its generation");
            st.token = NonZeroUsize::new(token);
            st.had_handle = true;
            st.requeued = false;
            // A new registration reports what is already readable (epoll queues an edge-
            // triggered fd that is ready when it is added), so a socket reading from the
            // start needs no synthetic readiness, nor the requeue and dispatch it cost.
            st.kernel_reading = st.want_kernel_read();
        });
        Ok(())
    }

    fn detach(self) -> Option<Stream> {
        let (io, token) = self.with(|st| (st.io.take(), st.token.take()))?;
        let mut io = io?;
        if let Some(t) = token {
            rt::deregister(io.source(), t.get());
        }
        Some(io)
    }

    // ---------------------------------------------------------------- connect

    /// Connect this socket (Node's `socket.connect(options)`). Events: `lookup` for host
    /// names, `connectionAttempt`, then `connect` and `ready`, or `error` and `close(true)`.
    ///
    /// Options Node's `connect()` throws for (see [`try_connect`](Socket::try_connect))
    /// destroy the socket with that error instead: `error` on next tick, then
    /// `close(true)`.
    pub fn connect(self, opts: impl Into<ConnectOptions>) -> Socket {
        let opts = opts.into();
        if let Err(e) = self.check_connect(&opts) {
            self.make_refused_handle();
            return self.destroy_with(e);
        }
        self.connect_checked(opts)
    }

    /// [`connect`](Socket::connect), with the errors Node's `connect()` throws returned,
    /// before anything starts: for a TCP connect, a `local_address` that is not an IP
    /// address (`ERR_INVALID_IP_ADDRESS`), and an `auto_select_family_attempt_timeout` of
    /// 0 or above 2^31 - 1 (`ERR_OUT_OF_RANGE`); on a socket that adopted a
    /// [`BoundSocket`](super::BoundSocket), a `local_address` or `local_port` at all
    /// (`ERR_INVALID_ARG_VALUE`: the bound socket has its address).
    pub fn try_connect(self, opts: impl Into<ConnectOptions>) -> Result<Socket, Error> {
        let opts = opts.into();
        if let Err(e) = self.check_connect(&opts) {
            self.make_refused_handle();
            return Err(e);
        }
        Ok(self.connect_checked(opts))
    }

    /// Node makes the handle in `connect()` before it checks the address options, so its
    /// `onread` function has given the handle's buffer when the refusal comes (once: a
    /// later `connect()` reuses that handle). A socket that adopted a bound socket made
    /// its handle, and asked the function, when it adopted it.
    fn make_refused_handle(self) {
        let make = self
            .with(|st| {
                if st.destroyed
                    || st.connecting
                    || st.io.is_some()
                    || st.onread_made
                    || st.adopted_bound()
                {
                    return None;
                }
                let make = st.onread_maker()?;
                st.onread_made = true;
                Some(make)
            })
            .flatten();
        if let Some(make) = make {
            self.make_onread_buffer(&*make);
        }
    }

    /// What Node's `connect()` throws for, on this socket: an adopted bound socket has
    /// its local address, so a `local_address` or `local_port` is refused (Node checks
    /// this first, for a TCP connect); then the options' own checks.
    fn check_connect(self, opts: &ConnectOptions) -> Result<(), Error> {
        let adopted = self.get(State::adopted_bound).unwrap_or(false);
        if adopted
            && opts.path.is_none()
            && (opts.local_address.is_some() || opts.local_port.is_some())
        {
            return Err(codes::invalid_arg_value(
                "options",
                "cannot set localAddress or localPort on a socket that adopted a bound socket",
                "localAddress or localPort",
            ));
        }
        validate_connect(opts)
    }

    fn connect_checked(self, opts: ConnectOptions) -> Socket {
        let start = self.with(|st| {
            if st.destroyed && st.closing {
                st.reset_for_reconnect();
            }
            if st.destroyed || st.connecting || st.io.is_some() {
                return Start::No;
            }
            st.connecting = true;
            // A lookup an earlier connect abandoned waits no more for this one.
            if let Some(r) = st.rare.as_mut() {
                r.user_lookups = 0;
            }
            // Node makes the handle in connect(), before any lookup: from here on the
            // socket closes in the close phase, as a handle does.
            st.had_handle = true;
            st.allow_half_open |= opts.allow_half_open;
            st.no_delay |= opts.no_delay;
            if opts.keep_alive {
                st.keep_alive = KeepAlive::new(true, opts.keep_alive_initial_delay).secs();
            }
            if opts.type_of_service.is_some() {
                st.tos = opts.type_of_service;
            }
            let bound = st.attempts.as_mut().and_then(|a| a.bound.take());
            let made = std::mem::take(&mut st.onread_made);
            let make = if bound.is_none() && !made {
                st.onread_maker()
            } else {
                None
            };
            Start::Go(bound, make)
        });
        let bound = match start {
            Some(Start::Go(bound, make)) => {
                if let Some(make) = make {
                    // Node's `initSocketHandle` in connect(), before any lookup.
                    if !self.make_onread_buffer(&*make) {
                        return self;
                    }
                }
                bound
            }
            Some(Start::No) | None => return self,
        };
        let adopted = bound.is_some();
        if let Some(ms) = opts.timeout {
            self.set_timeout(ms);
        }
        if let Some(path) = opts.path.clone() {
            // Node's `internalConnect` announces the attempt before it connects, inside
            // connect() (seen by listeners added before the call).
            self.emit(events::ConnectionAttempt, path_attempt(&path, None));
            if let Some(fd) = bound {
                // Node hands the path to the adopted TCP handle, which refuses it at once.
                let err = Error::sys(libc::EINVAL, "connect").with_address(&path, None);
                self.fail_connect(naming_local(err, io::bound_addr(&fd).ok()));
                return self;
            }
            let a = Attempts {
                addrs: Vec::new(),
                next: 0,
                errors: Vec::new(),
                auto: false,
                attempt_timeout: 0,
                timer: None,
                local: None,
                path: Some(path.clone()),
                block_list: None,
                bound: None,
            };
            self.with(|st| st.attempts = Some(Box::new(a)));
            if !io::unix_path_fits(&path) {
                // libuv refuses a path too long at once (EINVAL, no truncation), and Node
                // destroys the socket from connect() with the error it builds for a failure
                // there: a pipe has no local address, so the message ends with
                // " - Local (undefined:undefined)". (Other failures of a Unix connect come
                // later, from libuv's pending queue: the `defer` below.)
                let err = Error::sys(libc::EINVAL, "connect").with_address(&path, None);
                self.fail_connect(naming_local(err, None));
                return self;
            }
            // libuv reports every other failure of a Unix connect on the loop, as the
            // connect request's status: Node's `connectionAttemptFailed`, then the error.
            let failed = match io::connect_unix(&path) {
                Ok(stream) => self.attach(stream).err(),
                Err(e) => Some(e),
            };
            if let Some(e) = failed {
                let err = Error::from_io(&e, "connect").with_address(&path, None);
                rt::defer(move || {
                    if !self.still_connecting() {
                        return;
                    }
                    self.emit(
                        events::ConnectionAttemptFailed,
                        path_attempt(&path, Some(err.clone())),
                    );
                    self.fail_connect(err);
                });
            }
            return self;
        }
        // Node binds when `localAddress || localPort` (a port 0 is no port), to
        // `localAddress`, else the any-address of the attempt's family.
        let local_ip = opts
            .local_address
            .as_deref()
            .and_then(|a| a.parse::<IpAddr>().ok());
        let local_port = opts.local_port.filter(|&p| p != 0);
        let local = (local_ip.is_some() || local_port.is_some())
            .then(|| (local_ip, local_port.unwrap_or(0)));
        let port = opts.port;
        let mk = |addrs: Vec<SocketAddr>, auto: bool| Attempts {
            addrs,
            next: 0,
            errors: Vec::new(),
            auto,
            attempt_timeout: opts.auto_select_family_attempt_timeout.max(10),
            timer: None,
            local,
            path: None,
            block_list: opts.block_list.clone(),
            bound,
        };
        if let Ok(ip) = opts.host.parse::<IpAddr>() {
            let a = mk(vec![SocketAddr::new(ip, port)], false);
            self.with(|st| st.attempts = Some(Box::new(a)));
            rt::next_tick(move || self.attempt_next());
            return self;
        }
        let host = opts.host.clone();
        let family = opts.family;
        // A bound socket has its family: one lookup, one attempt (Node turns happy
        // eyeballs off for it, and keeps the family option as given).
        let auto = opts.auto_select_family && family == 0 && local_ip.is_none() && !adopted;
        let attempts = mk(Vec::new(), auto);
        self.with(|st| {
            st.attempts = Some(Box::new(attempts));
            st.lookup_single_pending = !auto;
        });
        if let Some(lookup) = opts.lookup.clone() {
            match &*lookup.0 {
                // A user resolver answers on the loop thread; its answer is delivered
                // later, as Node's asynchronous lookup callback.
                Lookup::Now(_) => rt::defer(move || {
                    let Lookup::Now(f) = &*lookup.0 else { return };
                    let res = f(&host, family);
                    self.looked_up(host, port, res);
                }),
                // Node calls its `lookup` function inside connect(); while the callback is
                // out, the socket keeps the loop no more alive than Node's does.
                Lookup::Callback(f) => {
                    self.with(|st| {
                        let rare = st.rare.get_or_insert_default();
                        rare.user_lookups = rare.user_lookups.saturating_add(1);
                        st.sync_liveness();
                    });
                    let callback = LookupCallback {
                        socket: self,
                        host: host.clone(),
                        port,
                        answered: false,
                    };
                    f(&host, family, callback);
                }
            }
            return self;
        }
        let h = host.clone();
        rt::queue_work(
            move || io::lookup(&h, family),
            move |res| {
                let res = res.map_err(|f| Error::lookup(f.code, f.errno, &host));
                self.looked_up(host, port, res)
            },
        );
        self
    }

    /// A [`LookupCallback`]'s answer: the lookup no longer waits, and is looked up.
    pub(crate) fn lookup_answered(self, host: String, port: u16, res: Result<Vec<IpAddr>, Error>) {
        self.lookup_done();
        self.looked_up(host, port, res);
    }

    /// A [`LookupCallback`] dropped unanswered: the socket stays connecting, and keeps the
    /// loop no more alive, as a Node lookup that never calls back leaves it; but a state
    /// closed meanwhile and kept only for the lookup's event is freed, since that event
    /// cannot come.
    pub(crate) fn lookup_abandoned(self) {
        // A callback kept in a thread-local may be dropped after the socket table, as the
        // thread ends: there is nothing left to free then.
        if SOCKETS.try_with(|_| ()).is_err() {
            return;
        }
        let free = self.with(|st| {
            st.lookup_single_pending = false;
            std::mem::take(&mut st.free_after_lookup)
        });
        if free == Some(true) {
            self.remove();
        }
    }

    /// A lookup through a callback ended: the connect (if it still goes on) keeps the
    /// loop alive again.
    fn lookup_done(self) {
        self.with(|st| {
            if let Some(r) = st.rare.as_mut() {
                r.user_lookups = r.user_lookups.saturating_sub(1);
            }
            st.sync_liveness();
        });
    }

    fn looked_up(self, host: String, port: u16, res: Result<Vec<IpAddr>, Error>) {
        let Some((connecting, single, free_after)) = self.with(|st| {
            let single = std::mem::take(&mut st.lookup_single_pending);
            (
                st.connecting,
                single,
                std::mem::take(&mut st.free_after_lookup),
            )
        }) else {
            return;
        };
        let ips = match res {
            Ok(ips) if ips.is_empty() => Err(Error::lookup("ENOTFOUND", -3008, &host)),
            other => other,
        };
        if !connecting {
            // Destroyed (and maybe closed) while looking up: as Node, the single-address
            // path still emits `lookup` with the answer, and goes no further.
            if single {
                let info = match ips {
                    Ok(ips) => LookupInfo::answer(ips[0], host),
                    Err(e) => LookupInfo::failed(e, host),
                };
                self.emit(events::Lookup, info);
            }
            if free_after {
                self.remove();
            }
            return;
        }
        let ips = match ips {
            Err(err) => {
                self.emit(events::Lookup, LookupInfo::failed(err.clone(), host));
                self.fail_connect(err);
                return;
            }
            Ok(ips) => ips,
        };
        let auto = self
            .get(|st| st.attempts.as_ref().is_some_and(|a| a.auto))
            .unwrap_or(false);
        let ordered: Vec<IpAddr> = if auto {
            // As Node: one `lookup` per answer, in the resolver's order and repeats
            // included, the socket checked after each (a listener may destroy it).
            for ip in &ips {
                self.emit(events::Lookup, LookupInfo::answer(*ip, host.clone()));
                if self.get(|st| st.connecting) != Some(true) {
                    return;
                }
            }
            interleave(&distinct(&ips))
        } else {
            self.emit(events::Lookup, LookupInfo::answer(ips[0], host.clone()));
            vec![ips[0]]
        };
        // One distinct address is a plain connect (no attempted-addresses list, a single
        // error rather than an aggregate one).
        let auto = ordered.len() > 1;
        let go = self.with(|st| {
            if let Some(a) = st.attempts.as_mut() {
                a.addrs = ordered
                    .iter()
                    .map(|ip| SocketAddr::new(*ip, port))
                    .collect();
                a.auto = auto;
            }
            if auto {
                st.rare.get_or_insert_default().attempted = Some(Vec::new());
            }
            st.connecting
        });
        if go == Some(true) {
            self.attempt_next();
        }
    }

    fn attempt_next(self) {
        let next = self.with(|st| {
            if !st.connecting || st.destroyed {
                return None;
            }
            let a = st.attempts.as_mut()?;
            let addr = *a.addrs.get(a.next)?;
            // Each attempt after the first has a handle of its own (Node's
            // `kReinitializeHandle`), for which the `onread` function is asked again.
            let later = a.next > 0;
            a.next += 1;
            let last = a.next == a.addrs.len();
            let blocked = a
                .block_list
                .as_ref()
                .is_some_and(|bl| bl.check_ip(addr.ip()));
            let bound = a.bound.take();
            let (local, multi, attempt_ms) = (a.local, a.auto, a.attempt_timeout);
            let timed = multi && !last;
            let make = if later { st.onread_maker() } else { None };
            Some((addr, local, multi, timed, attempt_ms, blocked, bound, make))
        });
        let Some(Some((addr, local, multi, timed, attempt_ms, blocked, bound, make))) = next else {
            return;
        };
        // Node's happy eyeballs checks the block list before the attempt (no
        // `connectionAttempt`, a `connectionAttemptFailed`, and on to the next address),
        // after the bind of a local port (whose failure is the attempt's error then).
        let blocked_attempt = |err: Error| {
            self.emit(
                events::ConnectionAttemptFailed,
                attempt_info(addr, Some(err.clone())),
            );
            self.failed_before_attempt(err);
        };
        if blocked && multi && local.is_none() {
            blocked_attempt(codes::ip_blocked(&addr.ip().to_string()));
            return;
        }
        // Node binds first: a failed bind is a `bind` error with the local address, and
        // there is no connectionAttempt for it.
        let local = bind_side(local, addr);
        // An adopted bound socket connects as it is (its address named by an error
        // refused at once, as Node names it).
        let made = match bound {
            Some(fd) => io::Made::Socket(io::tcp_from_bound(fd)),
            None => io::tcp_socket_bound(addr, local),
        };
        let refused = |e: &std::io::Error| {
            Error::from_io(e, "connect").with_address(&addr.ip().to_string(), Some(addr.port()))
        };
        // What comes after the attempt's `connectionAttempt`: the connect, or its failure
        // found at once (no socket could be made) or on the loop (libuv's delayed error:
        // the bind's address in use).
        enum Next {
            Connect(socket2::Socket),
            FailNow(Error),
            FailLater(Error),
        }
        let next = match made {
            io::Made::Socket(sock) => Next::Connect(sock),
            io::Made::BindFailed(e) => {
                let l = local.unwrap_or(addr);
                let err =
                    Error::from_io(&e, "bind").with_address(&l.ip().to_string(), Some(l.port()));
                // At once, as Node's connect destroys the socket with it, and its happy
                // eyeballs keeps it and goes on to the next address.
                self.failed_before_attempt(err);
                return;
            }
            io::Made::NoSocket(e) => Next::FailNow(refused(&e)),
            io::Made::BindInUse(e) => Next::FailLater(naming_asked_local(refused(&e), local)),
        };
        if blocked && multi {
            blocked_attempt(codes::ip_blocked(&addr.ip().to_string()));
            return;
        }
        if let Some(make) = make {
            // Before `connectionAttempt`, as Node asks when it makes the attempt's handle.
            if !self.make_onread_buffer(&*make) {
                return;
            }
        }
        let info = attempt_info(addr, None);
        self.emit(events::ConnectionAttempt, info);
        if multi {
            self.with(|st| {
                let rare = st.rare.get_or_insert_default();
                rare.attempted.get_or_insert_default().push(format!(
                    "{}:{}",
                    addr.ip(),
                    addr.port()
                ));
            });
        }
        if blocked {
            self.fail_connect(codes::ip_blocked(&addr.ip().to_string()));
            return;
        }
        let (err, here) = match next {
            Next::FailLater(err) => {
                rt::defer(move || self.attempt_failed(addr, err));
                return;
            }
            // With no socket, getsockname fails: Node names the local side
            // `undefined:undefined`.
            Next::FailNow(err) => (err, None),
            Next::Connect(sock) => match io::connect_tcp(sock, addr) {
                Ok(stream) => {
                    if let Err(e) = self.attach(stream) {
                        self.attempt_failed(addr, refused(&e));
                        return;
                    }
                    if timed {
                        let t = rt::set_timeout(attempt_ms, move || self.attempt_timed_out(addr));
                        self.with(|st| {
                            if let Some(a) = st.attempts.as_mut() {
                                a.timer = Some(t);
                            }
                        });
                    }
                    return;
                }
                // libuv reports a refusal the connect call itself returns on the loop, as
                // one that comes later.
                Err(r) if r.error.raw_os_error() == Some(libc::ECONNREFUSED) => {
                    let err = naming_asked_local(refused(&r.error), local);
                    rt::defer(move || self.attempt_failed(addr, err));
                    return;
                }
                Err(r) => (refused(&r.error), r.local),
            },
        };
        // Any other error of the connect call fails it at once, its message naming the
        // socket's local address (Node's getsockname after the failed connect): the
        // socket is destroyed now, with no `connectionAttemptFailed`; happy eyeballs
        // reports the attempt failed and goes on to the next address.
        let err = naming_local(err, here);
        if multi {
            self.attempt_failed(addr, err);
        } else {
            self.fail_connect(err);
        }
    }

    fn attempt_timed_out(self, addr: SocketAddr) {
        self.detach();
        self.emit(events::ConnectionAttemptTimeout, attempt_info(addr, None));
        self.with(|st| {
            if let Some(a) = st.attempts.as_mut() {
                a.errors.push(naming_asked_local(
                    Error::sys(libc::ETIMEDOUT, "connect")
                        .with_address(&addr.ip().to_string(), Some(addr.port())),
                    bind_side(a.local, addr),
                ));
                a.timer = None;
            }
        });
        self.attempt_next();
    }

    fn attempt_failed(self, addr: SocketAddr, err: Error) {
        self.detach();
        let more = self.with(|st| {
            let a = st.attempts.as_mut()?;
            if let Some(t) = a.timer.take() {
                rt::clear_timeout(t);
            }
            a.errors.push(err.clone());
            Some(a.next < a.addrs.len())
        });
        self.emit(
            events::ConnectionAttemptFailed,
            attempt_info(addr, Some(err.clone())),
        );
        if more == Some(Some(true)) {
            self.attempt_next();
            return;
        }
        let final_err = self
            .with(|st| {
                let a = st.attempts.take()?;
                Some(if a.auto {
                    Error::aggregate(a.errors)
                } else {
                    err.clone()
                })
            })
            .flatten()
            .unwrap_or(err);
        self.fail_connect(final_err);
    }

    /// An address failed before its attempt began: its local bind failed (Node emits no
    /// attempt events for that), or happy eyeballs found it in the block list (its
    /// `connectionAttemptFailed` emitted by the caller). A single address fails the
    /// connect with the error; with several (happy eyeballs) it is kept for the aggregate
    /// error and the next address is tried.
    fn failed_before_attempt(self, err: Error) {
        if !self.still_connecting() {
            return;
        }
        // `None`: fail with `err`; `Some(None)`: try the next address; `Some(Some(agg))`:
        // that was the last one.
        let next = self.with(|st| {
            let a = st.attempts.as_mut()?;
            if !a.auto {
                return None;
            }
            a.errors.push(err.clone());
            if a.next < a.addrs.len() {
                return Some(None);
            }
            st.attempts.take().map(|a| Some(Error::aggregate(a.errors)))
        });
        match next.flatten() {
            Some(None) => self.attempt_next(),
            Some(Some(agg)) => self.fail_connect(agg),
            None => self.fail_connect(err),
        }
    }

    /// The connect is still under way (not ended by a destroy or another failure).
    fn still_connecting(self) -> bool {
        self.get(|st| st.connecting && !st.destroyed) == Some(true)
    }

    /// The connect failed: the destroy fails the writes made while connecting as a destroy
    /// while connecting does (`destroy_impl`'s `failed_connect`): no `connect` comes, so
    /// none waits for a connect listener.
    fn fail_connect(self, err: Error) {
        self.with(|st| st.connecting = false);
        self.destroy_impl(Some(err), true);
    }

    fn on_connecting_ready(self) {
        let status = self.with(|st| {
            let io = st.io.as_ref()?;
            match io.take_error() {
                Ok(Some(e)) => Some(Err(e)),
                Err(e) => Some(Err(e)),
                Ok(None) => match io.is_connected() {
                    Ok(true) => Some(Ok(())),
                    Ok(false) => None,
                    Err(e) => Some(Err(e)),
                },
            }
        });
        let Some(Some(status)) = status else { return };
        let (remote, local) = self
            .with(|st| {
                st.attempts.as_ref().map_or((None, None), |a| {
                    (a.addrs.get(a.next.wrapping_sub(1)).copied(), a.local)
                })
            })
            .unwrap_or_default();
        match status {
            Ok(()) => self.connected(),
            Err(e) => {
                let path = self
                    .get(|st| st.attempts.as_ref().and_then(|a| a.path.clone()))
                    .flatten();
                match (remote, path) {
                    (_, Some(p)) => {
                        self.detach();
                        self.fail_connect(Error::from_io(&e, "connect").with_address(&p, None))
                    }
                    (Some(addr), None) => self.attempt_failed(
                        addr,
                        naming_asked_local(
                            Error::from_io(&e, "connect")
                                .with_address(&addr.ip().to_string(), Some(addr.port())),
                            bind_side(local, addr),
                        ),
                    ),
                    (None, None) => self.fail_connect(Error::from_io(&e, "connect")),
                }
            }
        }
    }

    fn connected(self) {
        self.with(|st| {
            st.connecting = false;
            if let Some(a) = st.attempts.take()
                && let Some(t) = a.timer
            {
                rt::clear_timeout(t);
            }
            if let Some(io) = st.io.as_ref() {
                if st.no_delay {
                    let _ = io.set_nodelay(true);
                }
                if let Some(k) = st.keep_alive {
                    let _ = io.set_keepalive(true, k);
                }
                if let Some(tos) = st.tos {
                    let _ = io.set_type_of_service(tos);
                }
            }
            st.touch();
            // Node starts reading at connect only if the socket is not paused by then, or
            // a read was asked for while connecting.
            if st.flowing == Some(false) && st.rd & RD_REQUESTED == 0 {
                st.read_held = true;
            }
            if st.flowing != Some(false) {
                st.rd &= !RD_SYNC;
            }
        });
        self.emit(events::Connect, ());
        self.emit(events::Ready, ());
        // Writes queued while connecting left from their connect listener; a group already
        // in flight continues on its own (from the loop, as Node's). Send what was never
        // tried, and finish an end() made while connecting.
        let untried = self
            .get(|st| !st.wq.is_empty() && st.inflight == 0)
            .unwrap_or(false);
        if untried {
            self.flush();
        } else {
            self.maybe_finish();
        }
    }

    // ---------------------------------------------------------------- I/O events

    /// A socket's readiness; `ONREAD` for sockets made with `onread`, whose reads take
    /// their own lane (the express lane and the `data` reads are never theirs).
    fn on_ready<const ONREAD: bool>(self, ready: Ready) {
        // The express lane first: a plain readable event on a flowing socket with nothing
        // queued (the per-message case of an echo or request/response server).
        if !ONREAD && ready.readable && !ready.read_closed && !ready.error {
            match self.with_state(State::read_express) {
                None => return,
                Some(Express::Chunk(b, sole, last, lent)) => {
                    sole.emit(Chunk::Bytes(b));
                    if lent {
                        rt::with_read_buf(rt::readbuf::ReadBuf::give_back);
                    }
                    if !last {
                        self.read_kernel();
                    }
                    return;
                }
                Some(Express::Step(step)) => {
                    if self.read_step(step, None) {
                        self.read_kernel();
                    }
                    return;
                }
                Some(Express::No) => {}
            }
        }
        // One state access takes the event's flags and, for a readable event, does the
        // first read (libuv's order: read first, then write; so a peer's RST is reported by
        // the read, `read ECONNRESET`, when the socket is reading). Only flags that do not
        // count for liveness change here, unless the read buffered a chunk.
        let read = ready.readable || ready.read_closed || ready.error;
        let mut onread = false;
        let Some((after, first)) = self.with_state(|st| {
            st.hup_seen |= ready.read_closed || ready.error;
            if st.connecting {
                return (After::Connecting, None);
            }
            // Nothing queued before the event: a write made while reading it went to the
            // kernel at once, or met a full buffer, whose draining brings a new edge.
            let to_send = !st.wq.is_empty() || (st.ending && !st.shutdown_started);
            let synthetic = std::mem::take(&mut st.requeued);
            let after = if ready.error {
                After::Flush
            } else if !(ready.writable && to_send) {
                After::Nothing
            } else if !synthetic {
                After::Flush
            } else {
                st.io
                    .as_ref()
                    .map_or(After::Nothing, |io| After::FlushIfPollout(io.fd()))
            };
            if !read {
                return (after, None);
            }
            if ONREAD {
                // The `onread` lane does its reads after this access.
                onread = true;
                return (after, None);
            }
            (after, Some(st.read_once_sole()))
        }) else {
            return;
        };
        // (Never for `onread`, whose first read is its lane's: the instance compiled for it
        // leaves the `data` reads out.)
        if !ONREAD
            && let Some((first, sole)) = first
            && self.read_step(first, sole)
        {
            self.read_kernel();
        }
        if ONREAD && onread {
            self.read_onread();
        }
        // libuv writes after the reads of the same event, once the last chunk's callback
        // and the ticks Node drains after it have run.
        if read && !matches!(after, After::Nothing) && !rt::between_callbacks() {
            return;
        }
        match after {
            After::Nothing => {}
            After::Connecting => self.on_connecting_ready(),
            After::Flush => self.flush(),
            After::FlushIfPollout(fd) => {
                if pollout_now(fd) {
                    self.flush()
                }
            }
        }
    }

    /// Act on one read's outcome (emitting its chunk to `sole`, the `data` listener's
    /// snapshot, when the read took one); `true` when the kernel may hold more.
    #[inline]
    fn read_step(self, step: Step, sole: Option<events::Sole>) -> bool {
        match step {
            // A short read emptied the kernel buffer: with edge-triggered epoll, more data
            // brings a new event, so don't spend a read on EAGAIN (libuv does the same).
            Step::Chunk(c, last, lent) => {
                match sole {
                    Some(l) => {
                        l.emit(c);
                    }
                    // A lent chunk always has its sole listener; were it otherwise, the
                    // listeners get a copy, as they may keep an owned chunk.
                    None if lent => {
                        self.emit(
                            events::Data,
                            Chunk::Bytes(Bytes::copy_from_slice(c.as_bytes())),
                        );
                    }
                    None => {
                        self.emit(events::Data, c);
                    }
                }
                if lent {
                    rt::with_read_buf(rt::readbuf::ReadBuf::give_back);
                }
                !last
            }
            Step::Buffered { last, readable } => {
                if readable {
                    rt::next_tick(move || self.emit_readable_tick());
                }
                !last
            }
            Step::Again => true,
            Step::Eof => {
                self.on_eof();
                false
            }
            Step::Fail(e) => {
                self.destroy_with(e);
                false
            }
            Step::Stop => false,
        }
    }

    /// Read on after an event's first read, up to the budget, while the kernel fills whole
    /// reads; past the budget, the socket re-queues itself for the next poll.
    ///
    /// While the only `data` listener borrows its chunks and the reads are large, each read
    /// takes the lent lane ([`State::read_lent`]) until the first that cannot: then the
    /// rest of the event's reads take the general one.
    fn read_kernel(self) {
        let mut lent_lane = true;
        for _ in 1..READ_BUDGET {
            // Node drains the next-tick queue after each chunk's callback, before libuv
            // reads again.
            if !rt::between_callbacks() {
                return;
            }
            if lent_lane {
                match self.with_state(State::read_lent) {
                    None => return,
                    Some(Lent::Chunk(b, sole, last)) => {
                        sole.emit(Chunk::Bytes(b));
                        rt::with_read_buf(rt::readbuf::ReadBuf::give_back);
                        if last {
                            return;
                        }
                        continue;
                    }
                    Some(Lent::Step(step)) => {
                        if !self.read_step(step, None) {
                            return;
                        }
                        continue;
                    }
                    Some(Lent::No) => lent_lane = false,
                }
            }
            let Some((step, sole)) = self.with_state(|st| st.read_once_sole()) else {
                return;
            };
            if !self.read_step(step, sole) {
                return;
            }
        }
        self.requeue_reads();
    }

    /// Past the read budget with the kernel still readable: re-queue the socket for the
    /// next poll (fairness among sockets), as a synthetic readiness.
    fn requeue_reads(self) {
        let requeue = self.with(|st| {
            let t = st.kernel_reading.then_some(st.token).flatten();
            st.requeued |= t.is_some();
            t
        });
        if let Some(Some(t)) = requeue {
            rt::requeue(t.get());
        }
    }

    /// The `onread` lane (see [`OnRead`](super::OnRead)): up to the read budget, read the
    /// kernel into the socket's buffer, at most its length, and hand the buffer to the
    /// callback with no table borrowed; then put it back. The callback's `false` or a
    /// `pause()` in it stops the reads (`read_held`, so `kernel_reading` goes false
    /// when the buffer is put back), leaving the rest in the kernel. Reached only from the
    /// `onread` sockets' own dispatch (`ONREAD_KIND`, `on_ready::<true>`), so the other
    /// sockets' reads are as they were; kept out of line and cold, as a lane few sockets
    /// take.
    #[cold]
    #[inline(never)]
    fn read_onread(self) {
        for _ in 0..READ_BUDGET {
            // As `read_kernel`: the ticks queued by the last chunk's callback run first.
            if !rt::between_callbacks() {
                return;
            }
            let Some(r) = self.with_state(State::read_user) else {
                return;
            };
            let (mut buf, cb, n, last) = match r {
                UserRead::Got { buf, cb, n, last } => (buf, cb, n, last),
                UserRead::Step(step) => {
                    if self.read_step(step, None) {
                        continue;
                    }
                    return;
                }
            };
            // Free: `read_user` reads only when the callback is not running.
            let (go, buf) = match &cb {
                OnReadCallback::Lent(f) => match f.try_borrow_mut() {
                    Ok(mut f) => (f(self, n, &mut buf), buf),
                    Err(_) => (true, buf),
                },
                OnReadCallback::Owned { make, callback } => {
                    let go = match callback.try_borrow_mut() {
                        Ok(mut f) => f(self, n, buf),
                        Err(_) => true,
                    };
                    // As Node: the next buffer is asked for after every callback, even
                    // one that returned false or destroyed the socket (the buffer is
                    // then dropped below).
                    (go, make())
                }
            };
            drop(cb);
            let more = self.with(|st| {
                if !go {
                    // Node's `readStop`: held until `resume()`, as a paused connect is.
                    st.read_held = true;
                }
                if let Some(o) = st.rare.as_mut().and_then(|r| r.onread.as_mut()) {
                    o.buffer = buf;
                }
                st.kernel_reading
            });
            if last || more != Some(true) {
                return;
            }
        }
        self.requeue_reads();
    }

    /// Ask the `onread` function for a buffer, with no table borrowed, and give it to the
    /// socket for its next read. `false` when the socket was destroyed meanwhile (by the
    /// function, which is the user's code), so the caller goes no further.
    #[cold]
    #[inline(never)]
    fn make_onread_buffer(self, make: &BufferFn) -> bool {
        let buf = make();
        self.with(|st| {
            if let Some(o) = st.rare.as_mut().and_then(|r| r.onread.as_mut()) {
                o.buffer = buf;
            }
            !st.destroyed
        }) == Some(true)
    }

    fn on_eof(self) {
        // Node reads 0 bytes after pushing EOF: with nothing buffered, `end` follows even
        // when nobody consumes the socket (paused, or no `data` listener). Without a last
        // decoded chunk to emit, that check is made in the same access.
        let r = self.with(|st| {
            st.eof = true;
            // The read that found the end is activity too: Node refreshes the idle timer
            // for every read before it looks at what came (`onStreamRead`).
            st.touch();
            let rest = st
                .decoder
                .as_mut()
                .map(|d| d.end())
                .filter(|s| !s.is_empty());
            if st.rd & RD_LISTENING != 0 {
                // Node's `onEofChunk`: the decoder's last text is buffered, and `readable`
                // is emitted now.
                if let Some(s) = rest {
                    st.buffer_back(Chunk::Str(s));
                }
                st.rd = (st.rd & !RD_NEED) | RD_EMITTED;
                return None;
            }
            Some(match rest.and_then(|s| st.push_chunk(Chunk::Str(s))) {
                Some(c) => {
                    st.events.set_handle_flag();
                    Err(c)
                }
                None => Ok(st.end_due(true)),
            })
        });
        match r {
            Some(Some(Err(c))) => {
                self.emit(events::Data, c);
                self.maybe_end(true);
            }
            Some(Some(Ok(true))) => rt::next_tick(move || self.end_readable()),
            Some(None) => {
                self.emit_readable_tick();
                // `onStreamRead`'s `read(0)` after the end: `end` if nothing is left.
                self.read(Some(0));
            }
            _ => {}
        }
    }

    fn maybe_end(self, consumer: bool) {
        // `end_scheduled` does not count for liveness: no sync.
        if self.with_state(|st| st.end_due(consumer)) == Some(true) {
            rt::next_tick(move || self.end_readable());
        }
    }

    fn end_readable(self) {
        // Ok: what follows, decided in the same access (nobody listens for `end`).
        let r = self.with_state(|st| {
            if st.destroyed || st.end_emitted {
                return None;
            }
            // As Node's `endReadableNT`: not while something is buffered (unshifted since
            // the tick was queued); the read that empties the buffer queues it again.
            if !st.read_queue.is_empty() {
                st.end_scheduled = false;
                return None;
            }
            st.end_emitted = true;
            Some(if st.events.has(END) {
                Err(())
            } else {
                Ok(st.after_end())
            })
        });
        let next = match r.flatten() {
            None => return,
            Some(Ok(next)) => next,
            Some(Err(())) => {
                self.emit(events::End, ());
                self.get(State::after_end).flatten()
            }
        };
        match next {
            Some(true) => rt::next_tick(move || {
                self.end();
            }),
            Some(false) => {
                self.destroy();
            }
            None => {}
        }
    }

    /// The destroy's tick: read data still buffered is no longer emitted ([`Rare::read_cut`]).
    fn cut_read(self) {
        self.with(|st| st.rare.get_or_insert_default().read_cut = true);
    }

    /// `resume`'s tick: emit what is buffered while flowing, then `end` if it is due. The
    /// first access clears the tick's flag; the one that finds nothing more to emit also
    /// makes the `end` check. With a `readable` listener the socket does not flow: the
    /// tick's `read(0)` is what is left of it (Node's `resume_`).
    fn flow(self) {
        self.flow_impl(true);
    }

    /// Node's `flow`: emit what is buffered while the socket flows, then `end` if it is
    /// due; `resume` clears the resume's flag in its first access.
    fn flow_impl(self, resume: bool) {
        let mut first = resume;
        loop {
            let c = self.with(|st| {
                if std::mem::take(&mut first) {
                    st.resume_scheduled = false;
                    // Its `read(0)` asks the socket to read.
                    if !st.eof && !st.destroyed {
                        st.rd &= !RD_SYNC;
                    }
                    // Node's `read(0)` (with a `readable` listener, as the socket does not
                    // flow) and `resume` event, before the flow.
                    let read0 = st.rd & RD_LISTENING != 0 && st.flowing != Some(true);
                    let resume = st.events.has(RESUME);
                    if read0 || resume {
                        return FlowStep::Resume { read0, resume };
                    }
                }
                if st.flowing != Some(true) {
                    return FlowStep::Stop(st.end_due(false));
                }
                // Destroyed, the data buffered is still emitted until the destroy's tick;
                // after it Node's flow takes it all without emitting it.
                if st.destroyed && st.read_cut() {
                    st.read_queue.clear();
                    st.read_len = 0;
                    return FlowStep::Stop(false);
                }
                let Some(c) = st.read_queue.pop_front() else {
                    st.read_queue.release();
                    // Node's flow ends at a read() that found nothing: a `readable` is
                    // needed again (what a later unshift or push while paused acts on).
                    if !st.eof {
                        st.rd |= RD_NEED;
                    }
                    return FlowStep::Stop(st.end_due(false));
                };
                st.read_len -= c.len();
                // Node's read() that takes the last chunk after the end of data schedules
                // `end` before it emits the chunk (`endReadable`): a listener that pauses
                // the socket for that chunk (a pipe whose destination cannot take it) does
                // not hold the `end` back.
                st.events.set_handle_flag();
                FlowStep::Chunk(c, st.end_due(true))
            });
            match c {
                Some(FlowStep::Chunk(c, end)) => {
                    if end {
                        rt::next_tick(move || self.end_readable());
                    }
                    self.emit(events::Data, c);
                }
                Some(FlowStep::Resume { read0, resume }) => {
                    if read0 {
                        self.read(Some(0));
                    }
                    if resume {
                        self.emit(events::Resume, ());
                    }
                }
                Some(FlowStep::Stop(true)) => {
                    rt::next_tick(move || self.end_readable());
                    return;
                }
                _ => return,
            }
            if rt::stopping() {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- writing

    fn flush(self) {
        self.flush_impl(false);
    }

    /// Send what is queued. From an I/O event (`sync` false) `drain` and the callbacks of
    /// completed writes run at once; from a user's call (`uncork`, `end`), where Node's
    /// write completes synchronously, they run on next tick.
    fn flush_impl(self, sync: bool) {
        loop {
            let r = self.with(|st| st.flush_once(sync));
            match r {
                Some(Flush::Done { cbs, drain }) => {
                    if sync {
                        if drain || !cbs.is_empty() {
                            rt::next_tick(move || {
                                // Node decides a drain for a write completed inside the
                                // user's call when it handles the completion, on next tick:
                                // an end() made since (the uncork of end() itself sends
                                // the corked writes before marking the stream ending), a
                                // destroy, a write still queued, or a drain already emitted
                                // by an earlier completion's tick rules it out.
                                let drain = drain
                                    && self.with(|st| {
                                        let owed = st.drain_owed() && !st.destroyed;
                                        if owed {
                                            st.need_drain = false;
                                        }
                                        owed
                                    }) == Some(true);
                                if drain {
                                    self.emit(events::Drain, ());
                                }
                                self.complete_writes(false, cbs);
                            });
                        }
                        continue;
                    }
                    // From the loop, as Node's write completing asynchronously (onwrite):
                    // what was buffered behind the group leaves first (its clearBuffer),
                    // and a group that completes there is handled as one completed inside
                    // a call (callbacks on next tick); then this group's afterWrite:
                    // `drain` if that left nothing queued, then its callbacks.
                    let mut drain = drain;
                    let mut failed = None;
                    if !drain && self.get(|st| !st.wq.is_empty()) == Some(true) {
                        match self.clear_buffer() {
                            Cleared::Done { drain: emptied } => drain = emptied,
                            Cleared::Fail(e) => failed = Some(e),
                            // Sent on by this loop's next round.
                            Cleared::Partial | Cleared::Idle => {}
                        }
                    }
                    self.complete_writes(drain, cbs);
                    if rt::stopping() {
                        return;
                    }
                    if let Some(e) = failed {
                        self.fail_inflight(e, true);
                        return;
                    }
                }
                Some(Flush::Fail(e)) => {
                    self.fail_inflight(e, sync);
                    return;
                }
                // From a user's call, a group that does not leave in one vectored write
                // completes later, from the loop, as Node's write then goes asynchronous:
                // after libuv's second send, from the pending phase or at a writable edge.
                Some(Flush::Partial { .. }) | Some(Flush::Blocked) if sync => {
                    self.send_again();
                    return;
                }
                // Only an offer the kernel cut short is sent again at once.
                Some(Flush::Partial { full: false }) => {}
                // A full socket waits for its writable edge: sending again at once would
                // only take what the peer freed meanwhile (bulk down, 1 MiB blocks: 4.4
                // sends per MiB against 1.3).
                Some(Flush::Partial { full: true })
                | Some(Flush::Blocked)
                | Some(Flush::Idle)
                | None => break,
            }
        }
        self.maybe_finish();
    }

    /// libuv's second send of a write group the kernel did not take whole in a user's call
    /// ([`State::send_again`]); the flush that completes the group or fails it comes from
    /// the pending phase, when that send sent the rest or met an error.
    fn send_again(self) {
        if self.with(State::send_again) == Some(true) {
            rt::defer(move || self.flush());
        }
    }

    /// Node's afterWrite for a completed group: `drain` when owed, the callbacks, then the
    /// destroy's errorBuffer if that user code destroyed the socket (`after_write`; only
    /// user code can have).
    fn complete_writes(self, drain: bool, cbs: Vec<WriteCb>) {
        let user = drain || !cbs.is_empty();
        if drain {
            self.emit(events::Drain, ());
        }
        for cb in cbs {
            cb(None);
        }
        if user {
            self.after_write();
        }
    }

    /// Node's clearBuffer inside a write's completion: what was buffered behind the write
    /// leaves now, as a write made inside a call (a group that completes has its callbacks
    /// on next tick); the completing write's afterWrite then owes the `drain`, if any.
    fn clear_buffer(self) -> Cleared {
        match self.with(|st| st.flush_once(false)) {
            Some(Flush::Done { cbs, drain }) => {
                if !cbs.is_empty() {
                    rt::next_tick(move || self.complete_writes(false, cbs));
                }
                Cleared::Done { drain }
            }
            Some(Flush::Partial { .. }) => Cleared::Partial,
            Some(Flush::Fail(e)) => Cleared::Fail(e),
            Some(Flush::Blocked) | Some(Flush::Idle) | None => Cleared::Idle,
        }
    }

    /// A send failed: the writes in flight fail with the error itself, and destroying
    /// gives it to the ones behind them; on next tick when the send was made inside a
    /// call (`sync`), as Node's write then fails asynchronously.
    fn fail_inflight(self, e: Error, sync: bool) {
        let cbs = self
            .with(|st| {
                // Inside a user's call (an uncork, an end), as Node's write failing there:
                // the stream is errored at once (no longer writable).
                if sync {
                    st.error_now(&e);
                }
                let n = std::mem::take(&mut st.inflight) as usize;
                let n = n.min(st.wq.len());
                let mut cbs = Vec::new();
                for w in st.wq.drain(..n) {
                    st.wq_len -= w.units;
                    cbs.extend(w.cb);
                }
                cbs
            })
            .unwrap_or_default();
        let fail = move || {
            for cb in cbs {
                cb(Some(e.clone()));
            }
            self.destroy_with(e);
        };
        if sync {
            rt::next_tick(fail);
        } else {
            fail();
        }
    }

    /// Node sends the writes queued while connecting from a `connect` listener added by the
    /// first of them: they leave there, the first one's callback runs there, the others'
    /// on next tick.
    fn flush_at_connect(self) {
        // Node sends the first write made while connecting (handed to its `_write`, made
        // uncorked) alone, from its connect listener, and handles its completion there:
        // what was buffered behind it leaves first (its clearBuffer), as a write made
        // inside a call (callbacks on next tick); then the first write's afterWrite:
        // `drain` if nothing is left queued, then its callback. Writes corked from the
        // first one and uncorked while connecting leave as one group (Node's writev), all
        // of whose callbacks run there.
        let held = self.with(|st| {
            let held = st.rare.as_mut().and_then(|r| r.at_connect.take())?;
            st.connect_handed = false;
            st.wq_len = st.wq_len.saturating_sub(held.units);
            st.bytes_written = st.bytes_written.saturating_sub(held.bytes);
            Some(held)
        });
        if let Some(Some(held)) = held {
            let AtConnect { cbs, err, .. } = *held;
            fail_in_order(cbs, &err, codes::socket_closed);
            return;
        }
        let r = self.with(|st| {
            if std::mem::take(&mut st.connect_handed) && st.inflight == 0 {
                st.inflight = 1;
            }
            st.flush_once(false)
        });
        match r {
            Some(Flush::Done { cbs, drain }) => {
                let mut drain = drain;
                let mut failed = None;
                let mut later_flush = false;
                if !drain {
                    match self.clear_buffer() {
                        Cleared::Done { drain: emptied } => drain = emptied,
                        // What a write inside a call does when the kernel takes only part:
                        // libuv's second send, then the pending phase or a writable edge.
                        Cleared::Partial => {
                            later_flush = true;
                            self.send_again();
                        }
                        Cleared::Fail(e) => failed = Some(e),
                        Cleared::Idle => {}
                    }
                }
                self.complete_writes(drain, cbs);
                if let Some(e) = failed {
                    self.fail_inflight(e, true);
                } else if !later_flush {
                    self.maybe_finish();
                }
            }
            Some(Flush::Fail(e)) => {
                self.destroy_with(e);
            }
            // Sent from the connect listener, inside a call as any of Node's writes there.
            Some(Flush::Partial { .. }) | Some(Flush::Blocked) => self.send_again(),
            _ => self.flush(),
        }
    }

    fn write_chunk(self, chunk: Chunk, cb: Option<WriteCb>) -> bool {
        let encoding = self.string_encoding(&chunk);
        self.write_encoded(chunk, encoding, cb).unwrap_or(false)
    }

    /// The encoding a write of `chunk` without one uses: the default encoding for a
    /// string (UTF-8 unless [`set_default_encoding`](Socket::set_default_encoding) said
    /// otherwise); bytes go as they are.
    fn string_encoding(self, chunk: &Chunk) -> Encoding {
        match chunk {
            Chunk::Str(_) => self.get(State::default_encoding).unwrap_or(Encoding::Utf8),
            Chunk::Bytes(_) => Encoding::Utf8,
        }
    }

    /// A chunk as bytes to send and the units `writable_length` counts: a string's UTF-16
    /// units (its `length` in JavaScript, whatever the encoding), a buffer's bytes.
    fn write_encoded(self, chunk: Chunk, encoding: Encoding, cb: Option<WriteCb>) -> Wrote {
        let string = matches!(chunk, Chunk::Str(_));
        let (data, units) = match chunk {
            Chunk::Str(s) => encode_string(s, encoding),
            Chunk::Bytes(b) => {
                let u = b.len();
                (b, u)
            }
        };
        self.write_req(data, units, string, cb)
    }

    fn write_req(self, data: Bytes, units: usize, string: bool, cb: Option<WriteCb>) -> Wrote {
        match self.with_state(|st| st.write_general(data, units, string)) {
            Some((pre, first_while_connecting)) => {
                self.write_settle(Some(pre), cb, first_while_connecting)
            }
            None => self.write_settle(None, cb, false),
        }
    }

    /// A write's part done outside the state: callbacks, errors, the connect hook.
    fn write_settle(
        self,
        pre: Option<Pre>,
        cb: Option<WriteCb>,
        first_while_connecting: bool,
    ) -> Wrote {
        match pre {
            None => {
                let err = codes::stream_destroyed("write");
                if let Some(cb) = cb {
                    let e = err.clone();
                    rt::next_tick(move || cb(Some(e)));
                }
                Err(err)
            }
            Some(Pre::Refuse(err, destroy)) => {
                if let Some(cb) = cb {
                    let e = err.clone();
                    rt::next_tick(move || cb(Some(e)));
                }
                if destroy {
                    self.destroy_with(err.clone());
                }
                Err(err)
            }
            Some(Pre::Fail(err)) => {
                // The kernel refused the write: as in Node, the callback gets the error on
                // next tick and the socket is destroyed with it then (not yet on return).
                let e = err.clone();
                rt::next_tick(move || {
                    if let Some(cb) = cb {
                        cb(Some(e.clone()));
                    }
                    self.destroy_with(e);
                });
                Err(err)
            }
            Some(Pre::Done(ret)) => {
                if let Some(cb) = cb {
                    rt::next_tick(move || {
                        cb(None);
                        self.after_write();
                    });
                }
                Ok(ret)
            }
            Some(Pre::Queued(ret)) => {
                if first_while_connecting {
                    self.once(events::Connect, move |_| self.flush_at_connect());
                }
                self.give_queued_write(cb);
                Ok(ret)
            }
            Some(Pre::Sent(ret)) => {
                self.give_queued_write(cb);
                self.send_again();
                Ok(ret)
            }
        }
    }

    /// A write's callback, to the write just queued (the queue's last).
    fn give_queued_write(self, cb: Option<WriteCb>) {
        if let Some(cb) = cb {
            self.with(|st| {
                if let Some(last) = st.wq.back_mut() {
                    last.cb = Some(cb);
                }
            });
        }
    }

    /// Write data (Node's `write`): bytes or a `&str`/`String` (sent as UTF-8). Returns
    /// `false` when the queue has reached highWaterMark: wait for `drain` before writing more.
    pub fn write(self, data: impl Into<Chunk>) -> bool {
        match data.into() {
            Chunk::Bytes(b) => self.write_bytes(b),
            Chunk::Str(s) => self.write_string(s),
        }
    }

    /// [`write`](Self::write) of bytes with no callback. The express lane: a connected,
    /// uncorked socket with nothing queued, neither ending nor destroyed, whose kernel
    /// takes the whole write at once, has nothing to queue or settle (the per-message case
    /// of a server that answers as it reads). Every other case is `write_req`'s, in
    /// functions of their own, so that the lane compiles into the caller.
    #[inline(always)]
    fn write_bytes(self, data: Bytes) -> bool {
        let r = self.with_state(move |st| {
            let sent = match st.direct_io() {
                Some(io) => io.send_vectored(&[IoSlice::new(&data)]),
                None => {
                    let units = data.len();
                    return Err(st.write_general(data, units, false));
                }
            };
            match sent {
                Ok(n) if n == data.len() => Ok(st.wrote_whole(n)),
                _ => Err((st.write_sent(data, sent), false)),
            }
        });
        self.express_settle(r)
    }

    /// [`write`](Self::write) of a string with no callback: `write_bytes`'s lane for its
    /// UTF-8 bytes, so a string the kernel takes whole costs no conversion, no queue
    /// access and no count of its UTF-16 units (Node's `writableLength` counts those only
    /// while the string waits). What the kernel does not take goes to the queue as the
    /// general path's string would, counted in UTF-16 units until it is sent.
    #[inline(always)]
    fn write_string(self, s: String) -> bool {
        let r = self.with_state(move |st| {
            let encoding = st.default_encoding();
            if encoding != Encoding::Utf8 {
                let (data, units) = encode_string(s, encoding);
                return Err(st.write_general(data, units, true));
            }
            let sent = match st.direct_io() {
                Some(io) => io.send_vectored(&[IoSlice::new(s.as_bytes())]),
                None => {
                    let units = utf16_len(&s);
                    return Err(st.write_general(Bytes::from(s), units, true));
                }
            };
            match sent {
                Ok(n) if n == s.len() => Ok(st.wrote_whole(n)),
                _ => {
                    let units = utf16_len(&s);
                    Err((
                        st.write_sent_units(Bytes::from(s), units, sent, true),
                        false,
                    ))
                }
            }
        });
        self.express_settle(r)
    }

    /// [`write`](Self::write) of borrowed bytes: sent straight from `data` when the kernel
    /// takes them whole, with no copy and no allocation; copied only when some of them
    /// must wait in the queue. `write(&[u8])` copies first, as it must own what it is
    /// given. The return value and events are `write`'s.
    pub fn write_slice(self, data: &[u8]) -> bool {
        let r = self.with_state(move |st| {
            let sent = match st.direct_io() {
                Some(io) => io.send_vectored(&[IoSlice::new(data)]),
                None => {
                    return Err(st.write_general(Bytes::copy_from_slice(data), data.len(), false));
                }
            };
            match sent {
                Ok(n) if n == data.len() => Ok(st.wrote_whole(n)),
                _ => Err((st.write_sent(Bytes::copy_from_slice(data), sent), false)),
            }
        });
        self.express_settle(r)
    }

    /// Add a `data` listener that reads each chunk in place (Node's `on('data')`, for a
    /// listener that does not keep the chunk): `f` gets the chunk's bytes (a string's UTF-8
    /// bytes after [`set_encoding`](Self::set_encoding)) for the length of the call. It is
    /// a `data` listener in every other way: it starts the flow, counts in
    /// `listener_count(Data)`, runs in order with the others, and [`off`](Self::off) takes
    /// its id.
    ///
    /// More than Node: while it is the socket's only `data` listener, a chunk is lent from
    /// the loop's read buffer rather than cut off as a `Bytes` that owns its share of it,
    /// which saves the reference count every owned chunk raises and drops. With
    /// [`write_slice`](Self::write_slice), an echo copies nothing and allocates nothing
    /// for a message the kernel sends whole.
    ///
    /// ```
    /// use nodenet::net::{self, events::*};
    ///
    /// nodenet::run(|| {
    ///     let server = net::create_server();
    ///     server.on(Connection, |socket| {
    ///         socket.on_data_view(move |bytes| {
    ///             socket.write_slice(bytes);
    ///         });
    ///     });
    ///     server.once(Listening, move |_| {
    ///         let port = server.address().map(|a| a.port()).unwrap_or(0);
    ///         let client = net::connect((port, "127.0.0.1"));
    ///         client.end_with("ping");
    ///         client.on(Data, move |echo| {
    ///             assert_eq!(echo.as_bytes(), b"ping");
    ///             server.close();
    ///         });
    ///     });
    ///     server.listen((0, "127.0.0.1"));
    /// })
    /// .unwrap();
    /// ```
    pub fn on_data_view(self, mut f: impl FnMut(&[u8]) + 'static) -> events::ListenerId {
        // SAFETY: the closure drops its chunk before it returns, and `f` gets only a
        // reference that cannot outlive the call.
        let id = self.with_events(|t| unsafe {
            t.add_borrowing(DATA, move |chunk: Chunk| f(chunk.as_bytes()))
        });
        let id = id.unwrap_or(events::ListenerId::dead());
        self.listener_added(DATA);
        id
    }

    /// The end of an express write outside the state: its return value, or the general
    /// path's settling of what it did instead.
    #[inline(always)]
    fn express_settle(self, r: Option<Result<bool, (Pre, bool)>>) -> bool {
        match r {
            Some(Ok(ret)) => ret,
            Some(Err((pre, first_while_connecting))) => self
                .write_settle(Some(pre), None, first_while_connecting)
                .unwrap_or(false),
            None => false,
        }
    }

    /// Write data and call `cb` once it was handed to the kernel, or with the error.
    pub fn write_cb(
        self,
        data: impl Into<Chunk>,
        cb: impl FnOnce(Option<Error>) + 'static,
    ) -> bool {
        self.write_chunk(data.into(), Some(Box::new(cb)))
    }

    /// Write a string in an encoding (Node's `write(string, encoding)`); `writable_length`
    /// counts the string's UTF-16 units, `bytes_written` the encoded bytes, as in Node.
    pub fn write_str(self, s: &str, encoding: Encoding) -> bool {
        self.write_encoded(Chunk::Str(s.to_string()), encoding, None)
            .unwrap_or(false)
    }

    /// Node's full `write(data, encoding, cb)`: a string is encoded with `encoding` (bytes
    /// are sent as they are); `cb` gets `None` once the data is handed to the kernel, or
    /// the error.
    pub fn write_with(
        self,
        data: impl Into<Chunk>,
        encoding: Encoding,
        cb: impl FnOnce(Option<Error>) + 'static,
    ) -> bool {
        self.write_encoded(data.into(), encoding, Some(Box::new(cb)))
            .unwrap_or(false)
    }

    /// How many `cork` calls are not yet undone (Node's `writableCorked`).
    pub fn writable_corked(self) -> u32 {
        self.get(|st| st.corked).unwrap_or(0)
    }

    /// Hold writes until [`uncork`](Socket::uncork), then send them in one vectored write.
    pub fn cork(self) {
        self.with(|st| st.corked += 1);
    }

    /// Release one [`cork`](Socket::cork); at zero, queued writes go out.
    pub fn uncork(self) {
        let go = self.with(|st| {
            st.corked = st.corked.saturating_sub(1);
            if st.corked == 0 {
                st.hand_on_uncork();
            }
            st.corked == 0
        });
        if go == Some(true) {
            self.flush_impl(true);
        }
    }

    /// End the writable side (Node's `end()`): FIN once queued writes are flushed, then
    /// `finish`.
    pub fn end(self) -> Socket {
        self.end_impl(None, None)
    }

    /// Write `data`, then end (Node's `end(data)`).
    pub fn end_with(self, data: impl Into<Chunk>) -> Socket {
        let data = data.into();
        let encoding = self.string_encoding(&data);
        self.end_impl(Some((data, encoding)), None)
    }

    /// End, and call `cb` on `finish` (Node's `end(cb)`): as in Node, before the `finish`
    /// listeners.
    pub fn end_cb(self, cb: impl FnOnce() + 'static) -> Socket {
        self.end_impl(None, Some(Box::new(move |_| cb())))
    }

    /// Node's `end(cb)` with its error argument: `cb(None)` just before `finish`; the error
    /// when the socket is destroyed first (ERR_STREAM_DESTROYED without one), or
    /// ERR_STREAM_ALREADY_FINISHED when it had finished already. As in Node, an `end` made
    /// after a `destroy()` without an error (before `close`) marks the socket ending and
    /// never calls `cb`: it waits for a `finish` that cannot come.
    pub fn end_then(self, cb: impl FnOnce(Option<Error>) + 'static) -> Socket {
        self.end_impl(None, Some(Box::new(cb)))
    }

    /// Node's full `end(data, encoding, cb)`: write `data` (a string in `encoding`), then
    /// end as [`end_then`](Socket::end_then); if the write fails, `cb` gets its error.
    pub fn end_with_cb(
        self,
        data: impl Into<Chunk>,
        encoding: Encoding,
        cb: impl FnOnce(Option<Error>) + 'static,
    ) -> Socket {
        self.end_impl(Some((data.into(), encoding)), Some(Box::new(cb)))
    }

    fn end_impl(self, data: Option<(Chunk, Encoding)>, cb: Option<WriteCb>) -> Socket {
        let mut err = None;
        if let Some((chunk, enc)) = data
            && let Err(e) = self.write_encoded(chunk, enc, None)
        {
            err = Some(e);
        }
        // end() while corked sends what was held, as Node's end() uncorks. Without a cork,
        // ending and the shutdown it may start take the same access (the end callback is
        // queued after the FIN rather than before: nothing runs in between either way).
        let failed = err.is_some();
        let mark = move |st: &mut State| {
            if failed {
                return (0, Fin::Nothing);
            }
            if !st.destroyed && !st.ending {
                if st.errored().is_some() {
                    // Node's end() on an errored stream neither ends it nor finishes: the
                    // callback waits for the destroy, and fails with the error.
                    return (4, Fin::Nothing);
                }
                st.ending = true;
                return (1, st.begin_finish_from(true));
            }
            if st.finished {
                return (2, Fin::Nothing);
            }
            if st.destroyed && !st.ending && st.stream_error().is_none() {
                // Node's end() on a stream destroyed without an error marks it ending
                // (a later write fails with ERR_STREAM_WRITE_AFTER_END) and keeps the
                // callback for a `finish` that cannot come: it is never called.
                st.ending = true;
                return (5, Fin::Nothing);
            }
            if st.destroyed {
                return (3, Fin::Nothing);
            }
            (4, Fin::Nothing)
        };
        let first = self.with(|st| {
            if std::mem::take(&mut st.corked) > 0 {
                st.hand_on_uncork();
                None
            } else {
                Some(mark(st))
            }
        });
        let marked = match first {
            Some(Some(m)) => Some(m),
            Some(None) => {
                self.flush_impl(true);
                self.with(mark)
            }
            None => None,
        };
        let (state, fin) = match marked {
            Some((state, fin)) => (Some(state), fin),
            None => (None, Fin::Nothing),
        };
        let err = match state {
            Some(2) => Some(Error::node(
                "ERR_STREAM_ALREADY_FINISHED",
                "Cannot call end after a stream was finished",
            )),
            Some(3) | None => Some(codes::stream_destroyed("end")),
            _ => err,
        };
        if let Some(cb) = cb {
            match err {
                Some(e) => rt::next_tick(move || cb(Some(e))),
                // Never called (dropped here, with no table borrowed).
                None if state == Some(5) => drop(cb),
                None => {
                    self.with(|st| st.end_cbs.get_or_insert_default().push(cb));
                }
            }
        }
        self.finish_later(fin);
        self
    }

    fn maybe_finish(self) {
        if let Some(fin) = self.with(State::begin_finish) {
            self.finish_later(fin);
        }
    }

    /// Queue `finish` as [`State::begin_finish`] decided: after the shutdown's completion
    /// (the pending phase), or on next tick for a socket that never had a handle.
    fn finish_later(self, fin: Fin) {
        let queued = match fin {
            Fin::Deferred => FIN_QUEUED,
            Fin::Shutdown => FIN_QUEUED_SHUTDOWN,
            Fin::Tick => {
                rt::next_tick(move || self.finish());
                return;
            }
            Fin::Nothing => return,
        };
        self.with(|st| st.fin_queued = queued);
        rt::defer(move || self.run_queued_fin());
    }

    /// The queued `finish` (and shutdown), unless made already.
    fn run_queued_fin(self) {
        let queued = self
            .with(|st| std::mem::take(&mut st.fin_queued))
            .unwrap_or(0);
        if queued == 0 {
            return;
        }
        if queued == FIN_QUEUED_SHUTDOWN {
            self.with(|st| {
                if let (false, Some(io)) = (st.destroyed, st.io.as_ref()) {
                    let _ = io.shutdown_write();
                }
            });
        }
        self.finish();
    }

    /// The poll reported a hang-up (`Ready::hup`): as libuv drains the stream in the same
    /// event after the read, a shutdown asked for by then (the `end()` of an `end` listener,
    /// or Node's own for a socket not allowed half open) is made now and `finish` follows,
    /// with the destroy it brings: a server counts the connection gone before the next
    /// event of the same poll (a newcomer under `maxConnections` is accepted, not dropped).
    #[cold]
    #[inline(never)]
    fn drain_on_hup(self) {
        if rt::between_callbacks() {
            self.run_queued_fin();
        }
    }

    fn finish(self) {
        // Ok: nothing to call (no end callback, no `finish` listener), so whether to destroy
        // is decided in the same access.
        let r = self.with(|st| {
            if st.finished || (st.destroyed && !st.finish_on_tick()) {
                return None;
            }
            st.finished = true;
            Some(match st.end_cbs.take() {
                None if !st.events.has(FINISH) => Ok(st.destroy_after_finish()),
                cbs => Err(cbs),
            })
        });
        let destroy = match r.flatten() {
            None => return,
            Some(Ok(destroy)) => destroy,
            Some(Err(cbs)) => {
                for cb in cbs.into_iter().flat_map(|v| *v) {
                    cb(None);
                }
                self.emit(events::Finish, ());
                self.get(State::destroy_after_finish) == Some(true)
            }
        };
        if destroy {
            self.destroy();
        }
    }

    // ---------------------------------------------------------------- closing

    /// Close now (Node's `destroy()`): no more I/O; `close(false)` follows.
    pub fn destroy(self) -> Socket {
        self.destroy_impl(None, false);
        self
    }

    /// Close now with an error (Node's `destroy(err)`): `error` on next tick, then
    /// `close(true)`.
    pub fn destroy_with(self, err: Error) -> Socket {
        self.destroy_impl(Some(err), false);
        self
    }

    /// End, then destroy once the writes are flushed (Node's `destroySoon`).
    pub fn destroy_soon(self) -> Socket {
        // As Node: end if still writable, then destroy now if finished, else from a
        // `finish` listener added now (so before the ones added later).
        if self.writable() {
            self.end();
        }
        if self.writable_finished() {
            self.destroy()
        } else {
            self.once(events::Finish, move |_| {
                self.destroy();
            });
            self
        }
    }

    /// Close with RST (Node's `resetAndDestroy`): the peer sees ECONNRESET.
    ///
    /// Between the start of the writable side's shutdown (its queue flushed after
    /// [`Socket::end`]) and `finish`, the reset is refused as libuv refuses it: the socket
    /// is destroyed with the error `reset EINVAL` (`error`, then `close(true)`) and closes
    /// gracefully, so the peer gets the FIN. Node 24 stops there without `close` and
    /// keeps the process alive on the leaked handle; nodenet closes the socket.
    ///
    /// A Unix socket has no reset: Node's `resetAndDestroy()` throws
    /// ERR_INVALID_HANDLE_TYPE for it (connecting or connected) and leaves it as it was;
    /// here, as for the errors [`connect`](Socket::connect) would throw, the socket is
    /// destroyed with that error (`error`, then `close(true)`; the peer sees an end, not
    /// a reset). [`try_reset_and_destroy`](Socket::try_reset_and_destroy) returns the
    /// error and leaves the socket alone, as Node does.
    pub fn reset_and_destroy(self) -> Socket {
        match self.try_reset_and_destroy() {
            Ok(s) => s,
            Err(e) => self.destroy_with(e),
        }
    }

    /// [`reset_and_destroy`](Socket::reset_and_destroy), with the error Node's
    /// `resetAndDestroy()` throws returned: ERR_INVALID_HANDLE_TYPE for a Unix socket
    /// (connecting or connected), which is then left as it was.
    ///
    /// ```
    /// use nodenet::net::{self, ConnectOptions, ListenOptions};
    ///
    /// let path = std::env::temp_dir().join(format!("nodenet-doc-reset-{}.sock", std::process::id()));
    /// let path = path.to_string_lossy().into_owned();
    /// nodenet::run(move || {
    ///     let server = net::create_server();
    ///     server.listen(ListenOptions::path(path.clone()));
    ///     let client = net::connect(ConnectOptions::path(path));
    ///     let err = client.try_reset_and_destroy().unwrap_err();
    ///     assert_eq!(err.code(), "ERR_INVALID_HANDLE_TYPE");
    ///     assert!(!client.destroyed());
    ///     client.destroy();
    ///     server.close();
    /// })
    /// .unwrap();
    /// ```
    pub fn try_reset_and_destroy(self) -> Result<Socket, Error> {
        if self.is_unix_handle() {
            return Err(codes::invalid_handle_type());
        }
        let state = self.with(|st| {
            if st.connecting {
                return 1;
            }
            // libuv refuses to reset a TCP stream whose shutdown is under way (from
            // Node's `final` to its `finish`): Node destroys the socket with `reset
            // EINVAL`, and the peer gets the FIN, not a reset. (With no handle, Node's
            // answer is ERR_SOCKET_CLOSED, below; a Unix socket has no reset.)
            if st.shutdown_started
                && !st.finished
                && matches!(st.io, Some(crate::io::Stream::Tcp(_)))
            {
                return 3;
            }
            match st.io.as_ref() {
                Some(io) => {
                    let _ = io.set_linger_zero();
                    2
                }
                None => 0,
            }
        });
        Ok(match state {
            Some(0) => self.destroy_with(codes::socket_closed()),
            Some(1) => {
                // As Node: from a `connect` listener added now (`connect` is still emitted).
                self.once(events::Connect, move |_| {
                    self.reset_and_destroy();
                });
                self
            }
            Some(2) => self.destroy(),
            Some(3) => self.destroy_with(Error::sys(libc::EINVAL, "reset")),
            _ => self,
        })
    }

    /// Whether the socket has a Unix handle (Node's `Pipe`): a Unix stream, or a connect
    /// to a path still under way (whose stream may not be attached yet).
    fn is_unix_handle(self) -> bool {
        self.with(|st| {
            !st.destroyed
                && (matches!(st.io, Some(crate::io::Stream::Unix(_)))
                    || (st.connecting && st.attempts.as_ref().is_some_and(|a| a.path.is_some())))
        })
        .unwrap_or(false)
    }

    /// The destroy; `failed_connect` for the one a failed connect makes (`connecting` is
    /// already false then, as in Node, but the writes made while connecting are still the
    /// connect's: the first, held for it, fails after `close` with
    /// ERR_SOCKET_CLOSED_BEFORE_CONNECTION and the rest with the connect's error, as for a
    /// destroy while connecting).
    fn destroy_impl(self, err: Option<Error>, failed_connect: bool) {
        // One access takes what the destroy needs, the stream included; the usual socket
        // has no write or end callback left to fail, and costs no allocation here.
        let torn = self.with_state(|st| {
            if st.destroyed {
                return None;
            }
            st.destroyed = true;
            if let Some(e) = &err
                && st.errored().is_none()
            {
                st.rare.get_or_insert_default().destroy_error = Some(e.clone());
            }
            st.release_liveness();
            let was_connecting = std::mem::take(&mut st.connecting);
            if let Some(t) = st.timeout.as_mut().and_then(|t| t.timer.take()) {
                rt::clear_timeout(t);
            }
            // A happy-eyeballs attempt in flight is cancelled by the close (Node reports
            // it as a failed attempt, ECANCELED; a plain connect's is not reported).
            let mut cancelled_attempt = None;
            if let Some(a) = st.attempts.take() {
                if let Some(t) = a.timer {
                    rt::clear_timeout(t);
                }
                if was_connecting && a.auto && st.io.is_some() {
                    cancelled_attempt = a.addrs.get(a.next.wrapping_sub(1)).copied();
                }
            }
            let inflight = std::mem::take(&mut st.inflight) as usize;
            // Before any connect: nothing was handed to the kernel yet.
            let pre_connect = was_connecting || failed_connect;
            let inflight = if pre_connect { 0 } else { inflight };
            // Connected, but the connect listener of the write held for it has not run yet:
            // it fails the writes (`flush_at_connect`).
            if st.connect_handed && !pre_connect && inflight == 0 && !st.wq.is_empty() {
                let bytes = st.wq.iter().map(|w| w.data.len() as u64).sum();
                let cbs = st.wq.drain(..).map(|w| w.cb).collect();
                let units = st.wq_len;
                st.rare.get_or_insert_default().at_connect = Some(Box::new(AtConnect {
                    cbs,
                    units,
                    bytes,
                    err: err.clone(),
                }));
            }
            // A `finish` queued by `end()` on a socket with no handle still comes, and
            // calls the end callbacks without an error (Node's queued `finish`).
            let end_cbs_kept = st.finish_on_tick() && !st.finished;
            let cbs = if st.wq.is_empty() && (st.end_cbs.is_none() || end_cbs_kept) && inflight == 0
            {
                if st.rare.as_ref().is_none_or(|r| r.at_connect.is_none()) {
                    st.wq_len = 0;
                }
                None
            } else {
                let mut cancelled = Vec::new();
                let mut cbs = Vec::new();
                let mut before_connect = Vec::new();
                // The bytes of the writes never handed over, which Node's `bytesWritten`
                // stops counting when it drops its buffer: all but the first while
                // connecting if that one was handed (held for the connect), else all but
                // the group in flight.
                let handed = std::mem::take(&mut st.connect_handed) && pre_connect;
                let kept = if pre_connect {
                    usize::from(handed)
                } else {
                    inflight
                };
                let dropped: u64 = st.wq.iter().skip(kept).map(|w| w.data.len() as u64).sum();
                for (i, w) in st.wq.drain(..).enumerate() {
                    // Corked from the start of the connect, nothing was handed over: the
                    // writes are only buffered, and fail as buffered writes do.
                    if handed {
                        // Kept in place, callback or not: the first write fails apart.
                        before_connect.push(w.cb);
                    } else if i < inflight {
                        cancelled.extend(w.cb);
                    } else {
                        cbs.extend(w.cb);
                    }
                }
                // writable_length keeps counting the failed writes until their callbacks
                // run (a connect's queued writes: until after `close`, as Node's).
                if inflight == 0
                    && cbs.is_empty()
                    && cancelled.is_empty()
                    && before_connect.is_empty()
                    && dropped == 0
                {
                    st.wq_len = 0;
                }
                Some(Box::new(LeftCbs {
                    cbs,
                    cancelled,
                    again_failed: st.rare.as_mut().and_then(|r| r.again_failed.take()),
                    dropped,
                    before_connect,
                    writing: inflight > 0,
                    end_cbs: if end_cbs_kept {
                        Vec::new()
                    } else {
                        st.end_cbs.take().map(|v| *v).unwrap_or_default()
                    },
                }))
            };
            // Read data buffered here stays until the destroy's tick (`Rare::read_cut`): a
            // `resume()` or `read()` made before that tick still emits it, as in Node.
            let buffered = !st.read_queue.is_empty();
            Some(Torn {
                buffered,
                io: st.io.take(),
                token: st.token.take(),
                server: st.server.take(),
                had_handle: st.had_handle,
                cbs,
                abort: st.rare.as_mut().and_then(|r| r.abort.take()),
                onread: st.rare.as_mut().and_then(|r| r.onread.take()),
                errored: st.rare.as_mut().and_then(|r| r.errored.take()),
                cancelled: cancelled_attempt,
            })
        });
        let Some(Some(mut torn)) = torn else {
            return;
        };
        // Done with the signal: an abort from now on does nothing here.
        if let Some(hook) = torn.abort.take() {
            hook.signal.off(hook.id);
        }
        if let (Some(io), Some(t)) = (torn.io.as_mut(), torn.token) {
            rt::deregister(io.source(), t.get());
        }
        drop(torn.io);
        // The `onread` callback is the user's code: dropped with no table borrowed.
        drop(torn.onread);
        let (cancel_later, before_connect, late_drop) = match torn.cbs {
            // After a write that failed at once, the callbacks fail with its error, even
            // when the destroy has one (Node's `errored`: the first error is kept).
            Some(left) => self.fail_left(*left, &torn.errored.take().or(err.clone())),
            None => (Vec::new(), Vec::new(), 0),
        };
        let later_err = err.clone();
        if let Some(srv) = torn.server {
            srv.connection_gone();
        }
        let had_error = err.is_some();
        // Node's destroy marks the stream closed (`closeEmitted`) on its next tick, the
        // one that emits `error`: read data still buffered is not emitted from then on.
        let buffered = torn.buffered;
        if let Some(e) = err {
            rt::next_tick(move || {
                if buffered {
                    self.cut_read();
                }
                self.emit(events::Error, e);
            });
        } else if buffered {
            rt::next_tick(move || self.cut_read());
        }
        // The usual close (no callbacks left to fail) captures only the handle and the
        // flag, and so is queued without an allocation (`rt::task`).
        let cancelled = torn.cancelled;
        if cancelled.is_none()
            && cancel_later.is_empty()
            && before_connect.is_empty()
            && late_drop == 0
        {
            close_later(torn.had_handle, move || {
                self.emit_close(had_error, Vec::new(), Vec::new(), None, 0)
            });
        } else {
            close_later(torn.had_handle, move || {
                if let Some(addr) = cancelled {
                    // libuv fails the connect request before the handle's close callback,
                    // each a callback of its own (the ticks of the first run in between).
                    let err = Error::sys(libc::ECANCELED, "connect")
                        .with_address(&addr.ip().to_string(), Some(addr.port()));
                    self.emit(
                        events::ConnectionAttemptFailed,
                        attempt_info(addr, Some(err)),
                    );
                    if !rt::between_callbacks() {
                        return;
                    }
                }
                self.emit_close(
                    had_error,
                    cancel_later,
                    before_connect,
                    later_err,
                    late_drop,
                )
            });
        }
    }

    /// The write and end callbacks a destroy found: queue the failures due on next tick,
    /// and return the ones due in the close phase (`cancel_later`: with their errors) and
    /// after `close` (`before_connect`: writes queued while connecting).
    #[allow(clippy::type_complexity)]
    fn fail_left(
        self,
        left: LeftCbs,
        err: &Option<Error>,
    ) -> (Vec<(WriteCb, Error)>, Vec<Option<WriteCb>>, u64) {
        let LeftCbs {
            cbs,
            cancelled,
            again_failed,
            dropped,
            writing,
            end_cbs,
            before_connect,
        } = left;
        // Behind a write held for the connect, the end callbacks fail with it, after `close`
        // (Node's errorBuffer after that write's failure).
        let (end_cbs, before_connect) = if before_connect.is_empty() {
            (end_cbs, before_connect)
        } else {
            let mut b = before_connect;
            b.extend(end_cbs.into_iter().map(Some));
            (Vec::new(), b)
        };
        // Node drops its buffer (and the buffered bytes from `bytesWritten`) on next tick,
        // or, behind a write in flight or one held for the connect, before `close`.
        let late = writing || !before_connect.is_empty();
        let (late_drop, tick_drop) = if late { (dropped, 0) } else { (0, dropped) };
        // Writes queued while connecting fail from a `close` listener in Node: after the
        // close event, the first with ERR_SOCKET_CLOSED_BEFORE_CONNECTION, the others with
        // the destroy error (or that same code); `before_connect` holds them.
        // Node: with a write in flight, the handle's close cancels it (ECANCELED, in the
        // close phase) and its failure fails the buffered writes and the end callbacks with
        // the destroy error, or ECANCELED without one. A write whose second send failed
        // already (libuv completed it with that error) fails with that error instead. With
        // none in flight they fail on next tick with the destroy error or
        // ERR_STREAM_DESTROYED.
        let mut cancel_later: Vec<(WriteCb, Error)> = Vec::new();
        if writing {
            let ecanceled = again_failed.unwrap_or_else(|| Error::sys(libc::ECANCELED, "write"));
            let rest = err.clone().unwrap_or_else(|| ecanceled.clone());
            cancel_later.extend(cancelled.into_iter().map(|cb| (cb, ecanceled.clone())));
            cancel_later.extend(cbs.into_iter().map(|cb| (cb, rest.clone())));
            cancel_later.extend(end_cbs.into_iter().map(|cb| (cb, rest.clone())));
        } else if !cbs.is_empty() || !end_cbs.is_empty() || tick_drop > 0 {
            // The errors are built only for callbacks that get them (formatting their
            // messages was a tenth of a closing connection's work).
            let w_err = err
                .clone()
                .unwrap_or_else(|| codes::stream_destroyed("write"));
            let e_err = err
                .clone()
                .unwrap_or_else(|| codes::stream_destroyed("end"));
            let fails: Vec<(WriteCb, Error)> = cbs
                .into_iter()
                .map(|cb| (cb, w_err.clone()))
                .chain(end_cbs.into_iter().map(|cb| (cb, e_err.clone())))
                .collect();
            // Node's errorBuffer: on the destroy's next tick, or sooner, in the tick of a
            // write that completed inside a call before the destroy (`after_write`).
            self.with(|st| {
                st.rare.get_or_insert_default().error_buffer =
                    Some(Box::new(ErrorBuffer { fails, tick_drop }));
            });
            ERROR_BUFFERS.with(|n| n.set(n.get() + 1));
            rt::next_tick(move || self.error_buffer());
        }
        (cancel_later, before_connect, late_drop)
    }

    /// Node's errorBuffer after a destroy (`Rare::error_buffer`), if it has not run yet:
    /// the buffered writes leave `writableLength` and `bytesWritten`, and their callbacks
    /// and the end callbacks fail.
    fn error_buffer(self) {
        let Some(Some(eb)) = self.with(|st| {
            let eb = st.rare.as_mut().and_then(|r| r.error_buffer.take())?;
            st.wq_len = 0;
            st.bytes_written = st.bytes_written.saturating_sub(eb.tick_drop);
            Some(eb)
        }) else {
            return;
        };
        ERROR_BUFFERS.with(|n| n.set(n.get().saturating_sub(1)));
        for (cb, e) in eb.fails {
            cb(Some(e));
        }
    }

    /// The end of the tick that runs the callbacks of writes completed inside a call
    /// (Node's afterWrite): on a socket destroyed since, the destroy's errorBuffer runs
    /// here, before the ticks queued after this one (a write-after-end callback's, say).
    #[inline]
    fn after_write(self) {
        if ERROR_BUFFERS.with(|n| n.get()) > 0 && self.get(|st| st.destroyed) == Some(true) {
            self.error_buffer();
        }
    }

    /// The close of a destroy: fail what is left, emit `close`, and free the state unless a
    /// `close` listener reconnected the socket.
    fn emit_close(
        self,
        had_error: bool,
        cancel_later: Vec<(WriteCb, Error)>,
        before_connect: Vec<Option<WriteCb>>,
        later_err: Option<Error>,
        late_drop: u64,
    ) {
        // Behind a write in flight, the buffered bytes go with its cancel, before `close`;
        // behind one held for the connect, with its failure, after the user's `close`
        // listeners (below).
        let (drop_now, drop_after) = if before_connect.is_empty() {
            (late_drop, 0)
        } else {
            (0, late_drop)
        };
        if drop_now > 0 {
            self.with_state(|st| st.bytes_written = st.bytes_written.saturating_sub(drop_now));
        }
        // Nothing to fail and nobody listening for `close`: the state is freed in the
        // same access (unless a `connect()` since the destroy is reusing the socket).
        if cancel_later.is_empty() && before_connect.is_empty() {
            let mut freed = None;
            let quiet = SOCKETS.with(|t| {
                let mut t = t.try_borrow_mut().ok()?;
                let st = t.get_mut(self.idx, self.gen_)?;
                st.wq_len = 0;
                if st.events.has(CLOSE) {
                    return Some(false);
                }
                if st.lookup_single_pending && st.events.has(LOOKUP) {
                    // Kept for the lookup's event (Node emits it after the close).
                    st.free_after_lookup = true;
                } else if !st.connecting {
                    freed = Some(Socket::free(&mut t, self.idx));
                }
                Some(true)
            });
            // What the free left goes here, with the table released.
            drop(freed);
            if quiet != Some(false) {
                return;
            }
        }
        // Neither field counts for liveness: no sync. Writes queued while connecting stay
        // counted in writable_length through `close` (Node fails them from a `close`
        // listener of their own, after the user's).
        let queued_len = if before_connect.is_empty() {
            self.with_state(|st| st.wq_len = 0);
            0
        } else {
            self.get(|st| st.wq_len).unwrap_or(0)
        };
        // The write the close cancelled fails (with the callbacks behind it) in a callback
        // of its own in Node, the handle's `close` in another: the ticks those callbacks
        // queue run in between. (A write in flight means a handle, so this runs in the
        // close phase, not inside a tick.)
        let cancelled = !cancel_later.is_empty();
        for (cb, e) in cancel_later {
            cb(Some(e));
        }
        if cancelled && !rt::between_callbacks() {
            return;
        }
        self.with_state(|st| st.closing = true);
        self.emit(events::Close, had_error);
        // A reconnect from a `close` listener synced in its `connect()`. A single-address
        // lookup still under way keeps the state for its `lookup` event (Node emits it after
        // the close); its answer frees the state.
        let reconnecting = self.with_state(|st| {
            st.closing = false;
            if !st.connecting && st.lookup_single_pending && st.events.has(LOOKUP) {
                st.free_after_lookup = true;
                return true;
            }
            st.connecting
        });
        if queued_len > 0 || drop_after > 0 {
            self.with_state(|st| {
                st.wq_len = st.wq_len.saturating_sub(queued_len);
                st.bytes_written = st.bytes_written.saturating_sub(drop_after);
            });
        }
        fail_in_order(before_connect, &later_err, codes::closed_before_connection);
        if reconnecting != Some(true) {
            self.remove();
        }
    }

    // ---------------------------------------------------------------- reading API

    /// Stop `data` events (Node's `pause`); the buffer fills to highWaterMark, then the
    /// socket stops reading the kernel.
    ///
    /// With [`onread`](SocketOptions::onread), `pause()` also stops reading the kernel at
    /// once (no callback until [`resume`](Socket::resume)), as Node's.
    pub fn pause(self) -> Socket {
        let emit = self.with(|st| {
            // Node's `pause` event: when the socket was not paused already.
            let emit = st.flowing != Some(false) && st.events.has(PAUSE);
            st.flowing = Some(false);
            st.rd = (st.rd | RD_PAUSED) & !RD_RESUMED;
            if st.onread && !st.connecting && st.io.is_some() {
                st.read_held = true;
            }
            emit
        });
        if emit == Some(true) {
            self.emit(events::Pause, ());
        }
        self
    }

    /// Start or restart `data` events (Node's `resume`): the socket flows from the next
    /// tick, which emits `resume` first.
    pub fn resume(self) -> Socket {
        self.resume_impl(false);
        self
    }

    /// `resume`; with `unless_paused`, only if the socket is not explicitly paused.
    fn resume_impl(self, unless_paused: bool) {
        let go = self.with(|st| {
            if unless_paused && st.flowing == Some(false) {
                return false;
            }
            st.rd = (st.rd | RD_RESUMED) & !RD_PAUSED;
            // (Also an `onread` socket's reads, stopped by its callback's `false` or a
            // `pause()`: Node's resume() starts them even when the socket flows.)
            st.read_held = false;
            st.rd |= RD_REQUESTED;
            if st.flowing == Some(true) && !st.resume_scheduled {
                return false;
            }
            // With a `readable` listener the socket does not flow, but the resume's tick
            // still comes.
            st.flowing = Some(st.rd & RD_LISTENING == 0);
            if st.resume_scheduled {
                return false;
            }
            st.resume_scheduled = true;
            true
        });
        if go == Some(true) {
            rt::next_tick(move || self.flow());
        }
    }

    /// Whether the socket is paused (Node's `isPaused`): not flowing for now, or paused by
    /// a `pause()` not undone by a `resume()` since.
    pub fn is_paused(self) -> bool {
        self.get(|st| st.flowing == Some(false) || st.rd & RD_PAUSED != 0)
            .unwrap_or(false)
    }

    /// Read buffered data (Node's `read(n)`), in paused mode or from a
    /// [`Readable`](events::Readable) listener: with `None`, everything buffered (while
    /// flowing, the first chunk); with `Some(n)`, exactly `n` bytes (or, after the end,
    /// what is left), or `None` if fewer are buffered. Emits `data` with what it returns,
    /// as Node does. `Some(0)` returns nothing: it starts reading, and asks for a
    /// `readable` (or the `end`) when one is due.
    ///
    /// ```
    /// use nodenet::net::{self, events::*};
    ///
    /// nodenet::run(|| {
    ///     let server = net::create_server();
    ///     server.on(Connection, |socket| {
    ///         socket.end_with("header:body");
    ///     });
    ///     server.once(Listening, move |_| {
    ///         let port = server.address().map(|a| a.port()).unwrap_or(0);
    ///         let client = net::connect((port, "127.0.0.1"));
    ///         let got = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    ///         let g = got.clone();
    ///         // Called once data is buffered, and once more at the end.
    ///         client.on(Readable, move |_| {
    ///             while let Some(chunk) = client.read(None) {
    ///                 g.borrow_mut().extend_from_slice(chunk.as_bytes());
    ///             }
    ///         });
    ///         client.on(End, move |_| {
    ///             assert_eq!(&got.borrow()[..], b"header:body");
    ///             server.close();
    ///         });
    ///     });
    ///     server.listen((0, "127.0.0.1"));
    /// })
    /// .unwrap();
    /// ```
    pub fn read(self, n: Option<usize>) -> Option<Chunk> {
        let out = self.with(|st| {
            st.read_held = false;
            st.rd |= RD_REQUESTED;
            // As Node: asking for more than highWaterMark raises it to the next power of
            // two (at most 1 GiB), so the socket reads on until it can answer.
            if let Some(n) = n
                && n > st.read_hwm()
            {
                st.read_hwm_raised = n.next_power_of_two().min(1 << 30) as u32;
            }
            if n != Some(0) {
                st.rd &= !RD_EMITTED;
            }
            // read(0) while a `readable` is needed and one is due: that, and nothing read.
            if n == Some(0) && st.rd & RD_NEED != 0 && (!st.under_read_hwm() || st.eof) {
                if st.read_len == 0 {
                    return Read::End(st.end_due(true));
                }
                return Read::Tick(st.emit_readable());
            }
            let want = match n {
                _ if n == Some(0) || (st.read_len == 0 && st.eof) => 0,
                None if st.flowing == Some(true) => st.read_queue.front().map_or(0, Chunk::len),
                None => st.read_len,
                Some(n) if n <= st.read_len => n,
                Some(_) if st.eof => st.read_len,
                Some(_) => 0,
            };
            if want == 0 && st.eof {
                return Read::End(st.read_len == 0 && st.end_due(true));
            }
            // Node's `_read` now, if it reads: below the highWaterMark or a `readable` due.
            let do_read =
                st.rd & RD_NEED != 0 || st.read_len == 0 || st.read_len - want < st.read_hwm();
            if !st.eof && !st.destroyed && do_read {
                st.rd &= !RD_SYNC;
            }
            // With highWaterMark 0, a read that takes all that is buffered asks for no
            // `_read` (nothing is under 0), and Node's reads stay stopped from the push
            // that filled the buffer: the kernel is read again only at the next read() or
            // resume(), where nodenet would read on as soon as the buffer is empty.
            if !do_read && st.read_hwm() == 0 && want == st.read_len && !st.onread {
                st.read_held = true;
            }
            // After a destroy's tick Node's read() returns the data without `data`.
            let emit = !(st.destroyed && st.read_cut());
            let got = if want > 0 {
                take_from_queue(st, want)
            } else {
                None
            };
            if got.is_none() && st.read_len <= st.read_hwm() {
                st.rd |= RD_NEED;
            }
            if emit && got.is_some() {
                st.events.set_handle_flag();
            }
            let mut end = false;
            if st.read_len == 0 {
                if !st.eof {
                    st.rd |= RD_NEED;
                }
                // Node ends here when it read past the end: `read()`, or `read(n)` for
                // more than was left (not for exactly what was left).
                let taken = if got.is_some() { Some(want) } else { Some(0) };
                end = st.eof && n != taken && st.end_due(true);
            }
            Read::Got(got.map(|c| (c, emit)), end)
        });
        match out {
            Some(Read::End(true)) => rt::next_tick(move || self.end_readable()),
            Some(Read::Tick(true)) => rt::next_tick(move || self.emit_readable_tick()),
            Some(Read::Got(got, end)) => {
                if end {
                    rt::next_tick(move || self.end_readable());
                }
                if let Some((c, emit)) = got {
                    if emit {
                        self.emit(events::Data, c.clone());
                    }
                    return Some(c);
                }
            }
            _ => {}
        }
        None
    }

    /// Put `chunk` back at the front of what is buffered to read (Node's `unshift`), for a
    /// parser that read more than it needed. A flowing socket with nothing buffered emits
    /// it as `data` at once. Returns whether the buffer is under its highWaterMark (and
    /// the stream not ended), as `push` does. On a destroyed socket nothing is added
    /// (`false`); after `end` was emitted, the socket is destroyed with
    /// `ERR_STREAM_UNSHIFT_AFTER_END_EVENT`. Bytes are kept as they are, even while the
    /// socket decodes (as Node's: a `read()` that joins them with text takes them as UTF-8,
    /// one that returns them alone gives bytes); a string is kept as text while decoding, as
    /// its UTF-8 bytes while not.
    pub fn unshift(self, chunk: impl Into<Chunk>) -> bool {
        let chunk = chunk.into();
        let r = self.with(|st| {
            if chunk.is_empty() {
                return Unshift::Done(st.can_push_more());
            }
            if st.end_emitted {
                return Unshift::AfterEnd;
            }
            if st.destroyed || st.errored().is_some() {
                return Unshift::Done(false);
            }
            // As Node: bytes are kept as they are (a later `set_encoding` decodes them); a
            // string is kept as text while decoding (in the socket's encoding: Node
            // re-encodes its UTF-8 bytes so), and as its UTF-8 bytes while not.
            let chunk = match (chunk, st.encoding) {
                (Chunk::Str(t), None) => Chunk::Bytes(Bytes::from(t.into_bytes())),
                (Chunk::Str(t), Some(e)) if e != Encoding::Utf8 => {
                    let mut d = StringDecoder::new(e);
                    Chunk::Str(d.end_with(t.as_bytes()))
                }
                (c, _) => c,
            };
            if st.flowing == Some(true)
                && st.rd & RD_SYNC == 0
                && st.read_len == 0
                && st.events.has(DATA)
            {
                st.events.set_handle_flag();
                return Unshift::Emit(chunk);
            }
            st.buffer_front(chunk);
            // Node's unshift ends in `maybeReadMore`: under highWaterMark, its read(0)
            // starts the kernel reads again (`_read`), held as they were (a socket that
            // stopped at highWaterMark and shrank since, or one paused on connect).
            if !st.onread && st.under_read_hwm() {
                st.read_held = false;
            }
            let tick = st.rd & RD_NEED != 0 && st.emit_readable();
            Unshift::Queued(st.can_push_more(), tick)
        });
        match r {
            Some(Unshift::Done(more)) => more,
            Some(Unshift::AfterEnd) => {
                self.destroy_with(Error::node(
                    "ERR_STREAM_UNSHIFT_AFTER_END_EVENT",
                    "stream.unshift() after end event",
                ));
                false
            }
            Some(Unshift::Emit(c)) => {
                // From inside the only `data` listener, which is not re-entered (Node calls
                // it again, inside this call): the chunk goes back in front of the buffer
                // and flows once the listener has returned, ahead of what comes next,
                // rather than being lost.
                let slot = <Socket as events::Emits<events::Data>>::SLOT;
                if let Some(c) = events::emit_or_back(&self, slot, c) {
                    self.with(|st| st.buffer_front(c));
                    rt::next_tick(move || self.flow_impl(false));
                }
                self.get(State::can_push_more).unwrap_or(false)
            }
            Some(Unshift::Queued(more, tick)) => {
                if tick {
                    rt::next_tick(move || self.emit_readable_tick());
                }
                more
            }
            None => false,
        }
    }

    /// Encode strings written without an encoding (`write("..")`, `write_cb`, `end_with`)
    /// in `encoding` (Node's `setDefaultEncoding`; UTF-8 until set). `writable_length`
    /// still counts a string's UTF-16 units and `bytes_written` the encoded bytes, as in
    /// Node; a reconnect keeps the setting.
    ///
    /// ```
    /// use nodenet::net::{self, events::*, Encoding};
    ///
    /// nodenet::run(|| {
    ///     let server = net::create_server();
    ///     server.on(Connection, move |s| {
    ///         s.on(Data, move |d| {
    ///             assert_eq!(d.as_bytes(), b"hi");
    ///             server.close();
    ///         });
    ///     });
    ///     server.on(Listening, move |_| {
    ///         let port = server.address().map(|a| a.port()).unwrap_or(0);
    ///         let c = net::connect((port, "127.0.0.1"));
    ///         c.set_default_encoding(Encoding::Hex).end_with("6869");
    ///     });
    ///     server.listen((0, "127.0.0.1"));
    /// })
    /// .unwrap();
    /// ```
    pub fn set_default_encoding(self, encoding: Encoding) -> Socket {
        self.with_state(|st| st.set_default_encoding(encoding));
        self
    }

    /// Decode incoming data as text (Node's `setEncoding`): `data` then brings strings,
    /// with characters split across reads kept whole.
    pub fn set_encoding(self, encoding: Encoding) -> Socket {
        self.with(|st| {
            st.encoding = Some(encoding);
            // A paused socket whose buffer reached highWaterMark has stopped reading the
            // kernel, and Node starts it again only from a read() or resume() (`_read`): a
            // buffer that decoding makes shorter (UTF-16 units of UTF-8 or UTF-16LE bytes)
            // does not, so here the reads stay held until then.
            let full = !st.under_read_hwm();
            let mut decoder = Box::new(StringDecoder::new(encoding));
            // As Node: what is already buffered is decoded now, into one string (an
            // unfinished character stays in the new decoder); readable_length then counts
            // UTF-16 units.
            if !st.read_queue.is_empty() {
                let mut text = String::new();
                for c in st.read_queue.drain(..) {
                    match c {
                        Chunk::Bytes(b) => text.push_str(&decoder.write(&b)),
                        Chunk::Str(s) => text.push_str(&s),
                    }
                }
                st.read_len = utf16_len(&text);
                if !text.is_empty() {
                    st.read_queue.push_back(Chunk::Str(text));
                }
            }
            st.decoder = Some(decoder);
            // (An `onread` socket buffers nothing, so it is never `full`.)
            if full && st.under_read_hwm() {
                st.read_held = true;
            }
        });
        self
    }

    /// Let the loop exit while this socket is open (Node's `unref`).
    pub fn unref(self) -> Socket {
        self.with(|st| st.refed = false);
        self
    }

    /// Keep the loop alive while this socket is open again (Node's `ref`).
    pub fn ref_(self) -> Socket {
        self.with(|st| st.refed = true);
        self
    }

    /// Emit `timeout` after `ms` of inactivity (Node's `setTimeout`); 0 disables. The
    /// socket is not closed, and the timer does not keep the loop alive.
    ///
    /// As in Node, a time over 2^31 - 1 ms is cut to that, with a `TimeoutOverflowWarning`
    /// (see [`crate::process`]); [`timeout`](Self::timeout) still reads the time given.
    pub fn set_timeout(self, ms: u64) -> Socket {
        let old = self.with(|st| {
            if st.destroyed {
                return None;
            }
            let old = st.timeout.take().and_then(|t| t.timer);
            // Kept with 0 too: Node's `timeout` property then reads 0.
            st.timeout = Some(Box::new(Timeout {
                ms,
                timer: None,
                last_active: rt::fresh_now(),
            }));
            old
        });
        let Some(old) = old else { return self };
        if ms > crate::process::TIMEOUT_MAX {
            let then = format!(
                "Timer duration was truncated to {}.",
                crate::process::TIMEOUT_MAX
            );
            crate::process::timeout_overflow(ms, &then);
        }
        if let Some(t) = old {
            rt::clear_timeout(t);
        }
        if ms > 0 {
            self.arm_timeout(ms, move || self.timeout_fired());
        }
        self
    }

    /// As [`set_timeout`](Socket::set_timeout), with `cb` added as a once-listener of
    /// `timeout`.
    pub fn set_timeout_cb(self, ms: u64, cb: impl FnOnce() + 'static) -> Socket {
        if ms > 0 {
            self.once(events::Timeout, move |_| cb());
        }
        self.set_timeout(ms)
    }

    /// Arm the idle timer (unref'd: it never keeps the loop alive) to call `f` in `ms`.
    fn arm_timeout(self, ms: u64, f: impl FnOnce() + 'static) {
        let t = rt::set_timeout_quiet(ms.min(crate::process::TIMEOUT_MAX), f).unref();
        self.with(|st| {
            if let Some(to) = st.timeout.as_mut() {
                to.timer = Some(t);
            }
        });
    }

    fn timeout_fired(self) {
        let act = self.with(|st| {
            let to = st.timeout.as_mut()?;
            to.timer = None;
            let idle = rt::now().saturating_duration_since(to.last_active);
            let ms = Duration::from_millis(to.ms.min(crate::process::TIMEOUT_MAX));
            Some(if idle >= ms {
                None
            } else {
                Some((ms - idle).as_millis().max(1) as u64)
            })
        });
        match act.flatten() {
            Some(Some(rest)) => self.arm_timeout(rest, move || self.timeout_fired()),
            Some(None) => {
                self.emit(events::Timeout, ());
                // Re-armed by the next activity: a new period starts from then.
                self.rearm_on_activity();
            }
            None => {}
        }
    }

    fn rearm_on_activity(self) {
        // Poll cheaply for the next activity: the timer fires again after `ms` and only
        // emits if the socket has been idle for a whole period since its last activity
        // that came after this emit.
        let ms = self
            .get(|st| st.timeout.as_ref().map(|t| t.ms))
            .flatten()
            .filter(|&ms| ms > 0);
        if let Some(ms) = ms {
            let fired_at = rt::now();
            self.arm_timeout(ms, move || self.timeout_wait(fired_at));
        }
    }

    fn timeout_wait(self, fired_at: std::time::Instant) {
        let act = self.with(|st| {
            let to = st.timeout.as_mut()?;
            to.timer = None;
            Some((to.last_active > fired_at, to.ms))
        });
        match act.flatten() {
            Some((true, _)) => self.timeout_fired(),
            Some((false, ms)) => self.arm_timeout(ms, move || self.timeout_wait(fired_at)),
            None => {}
        }
    }

    /// The idle timeout set with `set_timeout`, in ms (Node's `timeout`).
    pub fn timeout(self) -> Option<u64> {
        self.get(|st| st.timeout.as_ref().map(|t| t.ms)).flatten()
    }

    /// Disable or enable Nagle's algorithm (Node's `setNoDelay`); applied on connect if
    /// called before.
    pub fn set_no_delay(self, no_delay: bool) -> Socket {
        // Options do not change what keeps the loop alive: no liveness sync.
        self.with_state(|st| {
            st.no_delay = no_delay;
            if let (Some(io), false) = (st.io.as_ref(), st.connecting) {
                let _ = io.set_nodelay(no_delay);
            }
        });
        self
    }

    /// Enable keep-alive, first probe after `initial_delay_ms` (Node's
    /// `setKeepAlive(enable, initialDelay)`): probes every second, ten of them, as Node sets.
    pub fn set_keep_alive(self, enable: bool, initial_delay_ms: u64) -> Socket {
        self.set_keep_alive_with(KeepAlive::new(enable, initial_delay_ms))
    }

    /// Keep-alive with every setting (Node 24's `setKeepAlive({ enable, initialDelay,
    /// interval, count })`). Before a connection exists the settings wait for it; a call
    /// that repeats the settings in force does nothing, as in Node. Errors from the kernel
    /// (an interval or count beyond its limits, say) are ignored, as Node ignores them.
    pub fn set_keep_alive_with(self, k: KeepAlive) -> Socket {
        let k = k.secs();
        self.with_state(|st| {
            let live = st.io.as_ref().filter(|_| !st.connecting);
            if live.is_some() && st.keep_alive == k {
                return;
            }
            st.keep_alive = k;
            if let Some(io) = live {
                let _ = io.set_keepalive(k.is_some(), k.unwrap_or(KeepAliveSecs::OFF));
            }
        });
        self
    }

    /// Set the IP type of service, or the traffic class on an IPv6 socket (Node 24's
    /// `setTypeOfService`). Before a TCP connection exists the value is kept and set once
    /// connected; on a Unix socket it is only kept. The kernel may clear some bits (Linux
    /// keeps the two ECN bits of a TCP socket to itself), which
    /// [`type_of_service`](Self::type_of_service) then shows.
    ///
    /// # Errors
    /// As Node: while a TCP connect is under way but has no socket yet (during the lookup,
    /// or before the first attempt starts), `EBADF` with syscall `setTypeOfService`; the
    /// value is kept all the same. A refusal by the kernel, with its code.
    pub fn set_type_of_service(self, tos: u8) -> crate::Result<Socket> {
        let r = self.with_state(|st| {
            st.tos = Some(tos);
            match st.io.as_ref() {
                Some(io) => io.set_type_of_service(tos).unwrap_or(Ok(())),
                None if st.tcp_connect_without_socket() => {
                    Err(std::io::Error::from_raw_os_error(libc::EBADF))
                }
                None => Ok(()),
            }
        });
        match r {
            Some(Err(e)) => Err(Error::from_io(&e, "setTypeOfService")),
            _ => Ok(self),
        }
    }

    /// The IP type of service (Node 24's `getTypeOfService`): read from the kernel while a
    /// TCP socket exists, else the value last set (0 if none).
    ///
    /// # Errors
    /// `EBADF` with syscall `getTypeOfService` while a TCP connect has no socket yet, as
    /// Node; a refusal by the kernel, with its code.
    pub fn type_of_service(self) -> crate::Result<u8> {
        let r = self.get(|st| match st.io.as_ref() {
            Some(io) => io.type_of_service().unwrap_or(Ok(st.tos.unwrap_or(0))),
            None if st.tcp_connect_without_socket() => {
                Err(std::io::Error::from_raw_os_error(libc::EBADF))
            }
            None => Ok(st.tos.unwrap_or(0)),
        });
        match r {
            Some(Err(e)) => Err(Error::from_io(&e, "getTypeOfService")),
            Some(Ok(v)) => Ok(v),
            None => Ok(0),
        }
    }

    // ---------------------------------------------------------------- properties

    /// Bytes received (Node's `bytesRead`).
    pub fn bytes_read(self) -> u64 {
        self.get(|st| st.bytes_read).unwrap_or(0)
    }
    /// Bytes written, queued ones included (Node's `bytesWritten`).
    pub fn bytes_written(self) -> u64 {
        self.get(|st| st.bytes_written).unwrap_or(0)
    }
    /// Queued, unsent write size; strings count UTF-16 units (Node's `writableLength`).
    pub fn writable_length(self) -> usize {
        self.get(|st| st.wq_len).unwrap_or(0)
    }
    /// Buffered, unread size (Node's `readableLength`).
    pub fn readable_length(self) -> usize {
        self.get(|st| st.read_len).unwrap_or(0)
    }
    /// Node's `readableFlowing`: `None` until a consumer appears.
    pub fn readable_flowing(self) -> Option<bool> {
        self.get(|st| st.flowing).flatten()
    }
    /// The error that broke the stream (Node's `errored`): the first of a destroy's error
    /// and a failed write's; `None` while healthy, after a destroy without an error, and
    /// once the socket is closed and freed.
    pub fn errored(self) -> Option<Error> {
        self.get(|st| st.stream_error().cloned()).flatten()
    }
    /// Whether a `data` event was emitted (Node's `readableDidRead`): a chunk given to the
    /// `data` listeners, or returned by [`read`](Socket::read), which emits it too. Kept
    /// across a reconnect, as Node keeps it; `false` once the socket is closed and freed.
    pub fn readable_did_read(self) -> bool {
        self.get(|st| st.events.handle_flag()).unwrap_or(false)
    }
    /// Whether the socket was destroyed, or a write failed, before `end` was emitted
    /// (Node's `readableAborted`); `false` once the socket is closed and freed.
    pub fn readable_aborted(self) -> bool {
        self.get(|st| (st.destroyed || st.errored().is_some()) && !st.end_emitted)
            .unwrap_or(false)
    }
    /// Whether `end` was emitted (Node's `readableEnded`); `false` once the socket is
    /// closed and freed.
    pub fn readable_ended(self) -> bool {
        self.get(|st| st.end_emitted).unwrap_or(false)
    }
    /// Whether `end()` was called (Node's `writableEnded`).
    pub fn writable_ended(self) -> bool {
        self.get(|st| st.ending).unwrap_or(false)
    }
    /// Whether `finish` was emitted (Node's `writableFinished`).
    pub fn writable_finished(self) -> bool {
        self.get(|st| st.finished).unwrap_or(false)
    }
    /// Whether `write` would need a `drain` (Node's `writableNeedDrain`): a write passed the
    /// highWaterMark and no `drain` came since; `false` once ending or destroyed.
    pub fn writable_need_drain(self) -> bool {
        self.get(|st| st.need_drain && !st.ending && !st.destroyed)
            .unwrap_or(false)
    }
    /// Node's `writableHighWaterMark`.
    pub fn writable_high_water_mark(self) -> usize {
        self.get(|st| st.hwm).unwrap_or(0)
    }
    /// Node's `readableHighWaterMark` (raised by `read(n)` for an `n` above it).
    pub fn readable_high_water_mark(self) -> usize {
        self.get(|st| st.read_hwm()).unwrap_or(0)
    }
    /// Node's `readable`.
    pub fn readable(self) -> bool {
        self.get(|st| st.readable()).unwrap_or(false)
    }
    /// Node's `writable`.
    pub fn writable(self) -> bool {
        self.get(|st| st.writable()).unwrap_or(false)
    }
    /// The encoding set with `set_encoding` (Node's `readableEncoding`).
    pub fn readable_encoding(self) -> Option<Encoding> {
        self.get(|st| st.encoding).flatten()
    }
    /// Whether the socket is destroyed (Node's `destroyed`); a closed socket's handle too.
    pub fn destroyed(self) -> bool {
        self.get(|st| st.destroyed).unwrap_or(true)
    }
    /// Node's `closed`: for a socket, true from its destroy on, as Node's socket completes
    /// its `_destroy` at once (the handle's close follows, then `close`); so the same as
    /// [`destroyed`](Self::destroyed).
    pub fn closed(self) -> bool {
        self.destroyed()
    }
    /// Whether a connect is in progress (Node's `connecting`).
    pub fn connecting(self) -> bool {
        self.get(|st| st.connecting).unwrap_or(false)
    }
    /// Whether the socket has no connection yet (Node's `pending`).
    pub fn pending(self) -> bool {
        self.get(|st| (st.io.is_none() && st.bound_addr().is_none()) || st.connecting)
            .unwrap_or(true)
    }
    /// Whether the socket allows half-open (Node's `allowHalfOpen`).
    pub fn allow_half_open(self) -> bool {
        self.with(|st| st.allow_half_open).unwrap_or(false)
    }
    /// Node's `readyState`: `"opening"`, `"open"`, `"readOnly"`, `"writeOnly"` or `"closed"`.
    pub fn ready_state(self) -> &'static str {
        self.with(|st| {
            if st.connecting {
                "opening"
            } else {
                match (st.readable(), st.writable()) {
                    (true, true) => "open",
                    (true, false) => "readOnly",
                    (false, true) => "writeOnly",
                    (false, false) => "closed",
                }
            }
        })
        .unwrap_or("closed")
    }
    /// The local address (Node's `address()`), while connected, or bound (an adopted
    /// [`BoundSocket`](super::BoundSocket)).
    pub fn address(self) -> Option<AddressInfo> {
        self.with(|st| {
            st.io
                .as_ref()
                .and_then(|io| io.local_addr())
                .or_else(|| st.bound_addr())
                .map(AddressInfo::from_sockaddr)
        })
        .flatten()
    }
    fn remote(self) -> Option<SocketAddr> {
        self.with(|st| {
            if let Some(a) = st.rare.as_ref().and_then(|r| r.remote) {
                return Some(a);
            }
            let peer = st
                .io
                .as_ref()
                .filter(|_| !st.connecting)
                .and_then(|io| io.peer_addr())?;
            st.rare.get_or_insert_default().remote = Some(peer);
            Some(peer)
        })
        .flatten()
    }
    /// The peer's IP (Node's `remoteAddress`), while connected (read from the kernel on
    /// demand, so an idle socket stores no address).
    pub fn remote_address(self) -> Option<String> {
        self.remote().map(|a| a.ip().to_string())
    }
    /// The peer's port (Node's `remotePort`).
    pub fn remote_port(self) -> Option<u16> {
        self.remote().map(|a| a.port())
    }
    /// `"IPv4"` or `"IPv6"` for the peer (Node's `remoteFamily`).
    pub fn remote_family(self) -> Option<&'static str> {
        self.remote()
            .map(|a| if a.is_ipv4() { "IPv4" } else { "IPv6" })
    }
    /// Our IP (Node's `localAddress`), while connected.
    pub fn local_address(self) -> Option<String> {
        self.address().map(|a| a.address)
    }
    /// Our port (Node's `localPort`), while connected.
    pub fn local_port(self) -> Option<u16> {
        self.address().map(|a| a.port)
    }
    /// `"IPv4"` or `"IPv6"` for our side (Node's `localFamily`).
    pub fn local_family(self) -> Option<&'static str> {
        self.address().map(|a| a.family)
    }
    /// The server that accepted this socket (Node's `server`).
    pub fn server(self) -> Option<Server> {
        self.with(|st| st.server).flatten()
    }

    /// The addresses happy eyeballs tried, as `address:port` in attempt order (Node's
    /// `autoSelectFamilyAttemptedAddresses`; an IPv6 address has no brackets). `None`
    /// unless a connect went that way: with `auto_select_family` on and more than one
    /// distinct address from the lookup. The list starts empty once the lookup answers
    /// and grows as each attempt starts; an address the block list refuses is not tried,
    /// so not listed.
    ///
    /// ```
    /// use std::net::{Ipv4Addr, Ipv6Addr};
    /// use nodenet::net::{self, ConnectOptions, Resolver, events::Error};
    ///
    /// nodenet::run(|| {
    ///     // Port 9 (discard) refuses on both loopbacks.
    ///     let lookup = Resolver::new(|_host, _family| {
    ///         Ok(vec![Ipv6Addr::LOCALHOST.into(), Ipv4Addr::LOCALHOST.into()])
    ///     });
    ///     let c = net::connect(ConnectOptions {
    ///         lookup: Some(lookup),
    ///         ..(9, "example.test").into()
    ///     });
    ///     assert_eq!(c.auto_select_family_attempted_addresses(), None);
    ///     c.on(Error, move |_| {
    ///         assert_eq!(
    ///             c.auto_select_family_attempted_addresses(),
    ///             Some(vec!["::1:9".to_string(), "127.0.0.1:9".to_string()])
    ///         );
    ///     });
    /// })?;
    /// # Ok::<(), nodenet::Error>(())
    /// ```
    pub fn auto_select_family_attempted_addresses(self) -> Option<Vec<String>> {
        self.get(|st| st.rare.as_ref().and_then(|r| r.attempted.clone()))
            .flatten()
    }

    /// Pipe everything read from this socket into `dest`, with backpressure, and end
    /// `dest` when this socket ends (Node's `pipe(dest)`). Returns `dest`.
    ///
    /// As Node's: `dest` gets `pipe` (bringing this socket); a `write` that returns
    /// `false` pauses this socket until `dest` drains (until every destination that asked
    /// for it drains, when piping into several); `dest`'s `finish` or `close` unpipes it,
    /// and so does an `error` on it (which still reaches `dest`'s own `error` listeners,
    /// and with none is uncaught, as Node rethrows it). A pipe started after this socket
    /// ended ends `dest` on the next tick. A `dest` that finishes, closes or fails after
    /// this socket closed still gets `unpipe`, as in Node; the `pause` that Node then emits
    /// on this socket (its last destination gone) is not emitted here, as a socket's
    /// listeners are let go at its `close`.
    ///
    /// ```
    /// use nodenet::net::{self, events::*};
    ///
    /// nodenet::run(|| {
    ///     // An echo server: each socket piped into itself.
    ///     let server = net::create_server();
    ///     server.on(Connection, |s| {
    ///         s.on(Pipe, move |src| assert_eq!(src, s));
    ///         s.pipe(s);
    ///     });
    ///     server.on(Listening, move |_| {
    ///         let port = server.address().unwrap().port();
    ///         let c = net::connect((port, "127.0.0.1"));
    ///         c.end_with("hi");
    ///         c.on(Data, |d| assert_eq!(d.as_bytes(), b"hi"));
    ///         c.on(Close, move |_| {
    ///             server.close();
    ///         });
    ///     });
    ///     server.listen((0, "127.0.0.1"));
    /// })?;
    /// # Ok::<(), nodenet::Error>(())
    /// ```
    pub fn pipe(self, dest: Socket) -> Socket {
        self.pipe_with(dest, PipeOptions::default())
    }

    /// [`pipe`](Socket::pipe) with options (Node's `pipe(dest, { end })`): with `end`
    /// false, this socket's end unpipes `dest` instead of ending it.
    pub fn pipe_with(self, dest: Socket, opts: PipeOptions) -> Socket {
        let link = Rc::new(PipeLink {
            dest,
            data: Cell::new(None),
            end: Cell::new(None),
            error: Cell::new(None),
            close: Cell::new(None),
            finish: Cell::new(None),
            drain: Cell::new(None),
            cleaned: Cell::new(false),
        });
        let ended = self
            .with(|st| {
                let p = &mut st.rare.get_or_insert_default().pipes;
                if p.links.len() == 1 {
                    p.multi = true;
                }
                p.links.push(link.clone());
                st.end_emitted
            })
            .unwrap_or(false);
        let do_end = opts.end;
        let end_fn = move || {
            if do_end {
                dest.end();
            } else {
                self.unpipe(Some(dest));
            }
        };
        if ended {
            rt::next_tick(end_fn);
        } else {
            link.end
                .set(Some(self.once(events::End, move |_| end_fn())));
        }
        let l = link.clone();
        link.data.set(Some(self.on(events::Data, move |chunk| {
            if !dest.write(chunk) {
                self.pipe_pause(&l);
            }
        })));
        // Before the user's listeners, as Node's.
        let l = link.clone();
        link.error
            .set(Some(dest.prepend_listener(events::Error, move |e| {
                self.unpipe_from_dest(&l);
                if let Some(id) = l.error.take() {
                    dest.off(events::Error, id);
                }
                if dest.listener_count(events::Error) == 0 {
                    dest.emit(events::Error, e);
                }
            })));
        let l = link.clone();
        link.close.set(Some(dest.once(events::Close, move |_| {
            if let Some(id) = l.finish.take() {
                dest.off(events::Finish, id);
            }
            self.unpipe_from_dest(&l);
        })));
        let l = link.clone();
        link.finish.set(Some(dest.once(events::Finish, move |_| {
            if let Some(id) = l.close.take() {
                dest.off(events::Close, id);
            }
            self.unpipe_from_dest(&l);
        })));
        dest.emit(events::Pipe, self);
        // As Node: wait for `dest` to drain first, else make the source flow, even if it
        // was paused (pauseOnConnect, pause()).
        if dest.writable_need_drain() {
            self.pipe_pause(&link);
        } else if self.readable_flowing() != Some(true) {
            self.resume();
        }
        dest
    }

    /// Stop piping into `dest`, or into every destination with `None` (Node's
    /// `unpipe([dest])`): its listeners come off, this socket pauses when no destination
    /// is left, and `dest` gets `unpipe`. Not piping into `dest` does nothing.
    ///
    /// (Node removes a pipe's listeners from an `unpipe` listener it adds to `dest`, so a
    /// user's `unpipe` listener added before the pipe runs before they are removed; here
    /// they are removed before `unpipe` is emitted.)
    ///
    /// ```
    /// use nodenet::net::{self, events::*};
    ///
    /// nodenet::run(|| {
    ///     let server = net::create_server();
    ///     server.on(Connection, move |s| {
    ///         s.on(Unpipe, move |src| assert_eq!(src, s));
    ///         s.pipe(s);
    ///         s.unpipe(Some(s));
    ///         // Unpiped and with no other reader, the socket is paused.
    ///         assert!(s.is_paused());
    ///         s.destroy();
    ///         server.close();
    ///     });
    ///     server.on(Listening, move |_| {
    ///         let port = server.address().unwrap().port();
    ///         net::connect((port, "127.0.0.1")).on(Error, |_| {});
    ///     });
    ///     server.listen((0, "127.0.0.1"));
    /// })?;
    /// # Ok::<(), nodenet::Error>(())
    /// ```
    pub fn unpipe(self, dest: Option<Socket>) -> Socket {
        let taken = self
            .with(|st| {
                let p = &mut st.rare.as_mut()?.pipes;
                let taken = match dest {
                    None => std::mem::take(&mut p.links),
                    Some(d) => {
                        let i = p.links.iter().position(|l| l.dest == d)?;
                        vec![p.links.remove(i)]
                    }
                };
                Some((taken, p.links.is_empty()))
            })
            .flatten();
        let Some((taken, none_left)) = taken else {
            return self;
        };
        if taken.is_empty() {
            return self;
        }
        if none_left {
            self.pause();
        }
        for link in taken {
            self.pipe_cleanup(&link);
            link.dest.emit(events::Unpipe, self);
        }
        self
    }

    /// A pipe undone from its destination's side (its `finish`, `close` or `error`: Node's
    /// `unpipe` inside `pipe`, which calls `src.unpipe(dest)`). In Node a source's state
    /// outlives its `close`, so a destination that finishes, closes or fails after the
    /// source closed still gets `unpipe`, once per pipe into it; nodenet frees a closed
    /// socket's state (its pipes with it), so there the link undoes itself and emits it.
    fn unpipe_from_dest(self, link: &Rc<PipeLink>) {
        if self.get(|_| ()).is_some() {
            self.unpipe(Some(link.dest));
        } else if !link.cleaned.get() {
            self.pipe_cleanup(link);
            link.dest.emit(events::Unpipe, self);
        }
    }

    /// A pipe's `write` returned `false` (Node's `pause` inside `pipe`): remember which
    /// destination must drain, pause, and listen for its `drain`.
    fn pipe_pause(self, link: &Rc<PipeLink>) {
        let dest = link.dest;
        if !link.cleaned.get() {
            self.with(|st| {
                if let Some(r) = st.rare.as_mut() {
                    let p = &mut r.pipes;
                    if p.links.len() == 1 && p.links[0].dest == dest {
                        p.await_drain.clear();
                        p.await_drain.push(dest);
                        p.multi = false;
                    } else if p.links.len() > 1
                        && p.links.iter().any(|l| l.dest == dest)
                        && !p.await_drain.contains(&dest)
                    {
                        p.await_drain.push(dest);
                    }
                }
            });
            self.pause();
        }
        if link.drain.get().is_none() {
            link.drain.set(Some(
                dest.on(events::Drain, move |_| self.pipe_on_drain(dest)),
            ));
        }
    }

    /// `dest` drained (Node's `pipeOnDrain`): once no destination is awaited, the source
    /// flows again if it has `data` listeners.
    fn pipe_on_drain(self, dest: Socket) {
        let none_awaited = self
            .with(|st| {
                let Some(r) = st.rare.as_mut() else {
                    return true;
                };
                let p = &mut r.pipes;
                if !p.multi && p.await_drain.len() == 1 && p.await_drain[0] == dest {
                    p.await_drain.clear();
                } else if p.multi {
                    p.await_drain.retain(|d| *d != dest);
                }
                p.await_drain.is_empty()
            })
            .unwrap_or(false);
        if none_awaited && self.listener_count(events::Data) > 0 {
            self.resume();
        }
    }

    /// A pipe broken (Node's `cleanup` inside `pipe`): its listeners come off; a source
    /// that waited for this destination's `drain` is told it came.
    fn pipe_cleanup(self, link: &Rc<PipeLink>) {
        let dest = link.dest;
        if let Some(id) = link.close.take() {
            dest.off(events::Close, id);
        }
        if let Some(id) = link.finish.take() {
            dest.off(events::Finish, id);
        }
        let drain = link.drain.get();
        if let Some(id) = drain {
            dest.off(events::Drain, id);
        }
        if let Some(id) = link.error.take() {
            dest.off(events::Error, id);
        }
        if let Some(id) = link.end.take() {
            self.off(events::End, id);
        }
        if let Some(id) = link.data.take() {
            self.off(events::Data, id);
        }
        link.cleaned.set(true);
        let awaiting = self
            .with(|st| {
                st.rare
                    .as_ref()
                    .is_some_and(|r| r.pipes.multi || !r.pipes.await_drain.is_empty())
            })
            .unwrap_or(false);
        if drain.is_some() && awaiting && dest.writable_need_drain() {
            self.pipe_on_drain(dest);
        }
    }
}

/// Options of [`Socket::pipe_with`] (Node's `pipe(dest, options)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PipeOptions {
    /// End the destination when the source ends (default `true`).
    pub end: bool,
}

impl Default for PipeOptions {
    fn default() -> Self {
        PipeOptions { end: true }
    }
}

/// One pipe from a source into `dest`: the listeners it added (Node's closures inside
/// `pipe`), for its cleanup.
struct PipeLink {
    dest: Socket,
    /// On the source.
    data: Cell<Option<events::ListenerId>>,
    end: Cell<Option<events::ListenerId>>,
    /// On `dest`.
    error: Cell<Option<events::ListenerId>>,
    close: Cell<Option<events::ListenerId>>,
    finish: Cell<Option<events::ListenerId>>,
    /// Added at the first `write` that returned `false`.
    drain: Cell<Option<events::ListenerId>>,
    cleaned: Cell<bool>,
}

/// A source's pipes (Node's `state.pipes`, `awaitDrainWriters` and `kMultiAwaitDrain`).
#[derive(Default)]
struct Pipes {
    /// In the order made (one destination may be there twice).
    links: Vec<Rc<PipeLink>>,
    /// The destinations whose `drain` the source waits for.
    await_drain: Vec<Socket>,
    /// Piping into several at once: `await_drain` is a set.
    multi: bool,
}

impl State {
    /// A write's part done inside the state: checks, then the kernel at once if nothing is
    /// queued, else the queue.
    fn write_now(
        &mut self,
        data: Bytes,
        units: usize,
        string: bool,
        first_while_connecting: &mut bool,
    ) -> Pre {
        *first_while_connecting =
            self.connecting && self.wq.is_empty() && !self.destroyed && !self.ending;
        // Node's checks, in its order: after `end` with allowHalfOpen false, net's
        // writeAfterFIN (EPIPE); then write after end; then destroyed. Destroying an
        // already destroyed socket does nothing (no error event).
        if self.ending {
            let err = if self.end_emitted && !self.allow_half_open {
                codes::ended_by_other_party()
            } else {
                codes::write_after_end()
            };
            return Pre::Refuse(err, true);
        }
        if self.destroyed {
            return Pre::Refuse(codes::stream_destroyed("write"), false);
        }
        if !self.had_handle && !self.connecting && self.corked == 0 && self.errored().is_none() {
            // Never connected, not connecting: Node's write finds no handle and fails at
            // once (ERR_SOCKET_CLOSED, `false`), which errors the stream; its callback and
            // the destroy come on next tick. A later write is buffered behind the error,
            // and fails with it at the destroy.
            let err = codes::socket_closed();
            self.error_now(&err);
            return Pre::Fail(err);
        }
        self.bytes_written += data.len() as u64;
        self.wq_len += units;
        // Behind a write that failed in the call, a write is only buffered (it fails with
        // that error at the destroy, and leaves `bytesWritten` then), as on Node's
        // errored stream.
        let direct = self.wq.is_empty()
            && self.corked == 0
            && !self.connecting
            && !self.write_failed
            && self.io.is_some();
        if direct {
            let io = self.io.as_ref().expect("checked");
            match io.send_vectored(&[IoSlice::new(&data)]) {
                Ok(n) if n == data.len() => {
                    self.wq_len -= units;
                    self.touch();
                    let ret = self.wq_len < self.hwm;
                    return Pre::Done(ret);
                }
                sent => return self.queue_sent(data, units, sent, string),
            }
        }
        if self.io.is_none() && !self.connecting && self.wq.is_empty() && self.corked == 0 {
            // An adopted bound socket not connected: Node writes to its handle all the
            // same, and the kernel refuses (EPIPE): the same failure as a send that fails.
            let bound = self.attempts.as_ref().and_then(|a| a.bound.as_ref());
            if let Some(fd) = bound
                && let Err(e) = io::send_vectored(fd.as_raw_fd(), &[IoSlice::new(&data)])
            {
                return Pre::Fail(Error::from_io(&e, "write"));
            }
        }
        if *first_while_connecting {
            self.connect_handed = self.corked == 0;
        }
        match self.queue_write(data, units, 0) {
            // Behind a write that failed at once: Node's write returns false on an
            // errored stream.
            Pre::Queued(_) if self.errored().is_some() => Pre::Queued(false),
            pre => pre,
        }
    }

    /// `write_req`'s part inside the state (also [`Socket::write_bytes`]'s cases off its
    /// express lane): the write's outcome and whether it is the first made while
    /// connecting. Liveness is synced unless the write went to the kernel whole (nothing
    /// queued: no change).
    #[inline(never)]
    fn write_general(&mut self, data: Bytes, units: usize, string: bool) -> (Pre, bool) {
        let mut first_while_connecting = false;
        let pre = self.write_now(data, units, string, &mut first_while_connecting);
        if !matches!(pre, Pre::Done(_)) {
            self.sync_liveness();
        }
        (pre, first_while_connecting)
    }

    /// [`Socket::write_bytes`]'s lane after a send the kernel did not take whole: the
    /// bytes counted and the rest queued as `write_now` does (in line: it only names the
    /// chunk's bytes as its units for the out-of-line `write_sent_units`).
    #[inline(always)]
    fn write_sent(&mut self, data: Bytes, sent: std::io::Result<usize>) -> Pre {
        let units = data.len();
        self.write_sent_units(data, units, sent, false)
    }

    /// [`write_sent`](Self::write_sent) of a chunk that counts `units` in
    /// `writable_length` (a string's UTF-16 units) and its bytes in `bytes_written`.
    #[inline(never)]
    fn write_sent_units(
        &mut self,
        data: Bytes,
        units: usize,
        sent: std::io::Result<usize>,
        string: bool,
    ) -> Pre {
        self.bytes_written += data.len() as u64;
        self.wq_len += units;
        let pre = self.queue_sent(data, units, sent, string);
        self.sync_liveness();
        pre
    }

    /// Queue what a direct send left (all of it when the kernel was full), or fail. A
    /// string whose send fails in the call leaves `bytes_written` as it was, a buffer's
    /// stays counted: Node 24's bytesWritten does the same (its string write reports no
    /// bytes dispatched when it fails, its buffer write reports the buffer's length).
    fn queue_sent(
        &mut self,
        data: Bytes,
        units: usize,
        sent: std::io::Result<usize>,
        string: bool,
    ) -> Pre {
        let off = match sent {
            Ok(n) => {
                self.touch();
                n
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => 0,
            Err(e) => {
                // As Node's write that fails in the call: the stream is errored at once
                // (no longer writable, its length back down), and destroyed on next tick.
                let err = Error::from_io(&e, "write");
                self.wq_len -= units;
                if string {
                    self.bytes_written -= data.len() as u64;
                }
                self.error_now(&err);
                return Pre::Fail(err);
            }
        };
        self.inflight = 1;
        match self.queue_write(data, units, off) {
            Pre::Queued(ret) => Pre::Sent(ret),
            pre => pre,
        }
    }

    /// Queue a write behind others (or before connecting), `off` bytes already sent.
    fn queue_write(&mut self, data: Bytes, units: usize, off: usize) -> Pre {
        self.wq.push_back(WriteReq {
            data,
            off,
            units,
            cb: None,
        });
        self.queued()
    }

    /// A write was queued: `write`'s return, and `drain` owed once it is `false`.
    fn queued(&mut self) -> Pre {
        let ret = self.wq_len < self.hwm;
        if !ret {
            self.need_drain = true;
        }
        Pre::Queued(ret)
    }

    /// One kernel read, decoded and delivered in the same state access: the chunk to emit
    /// now (`None` when it was buffered or the decoder holds it back). Liveness is synced
    /// only when a chunk was buffered (the buffer's length decides whether the socket keeps
    /// reading); a chunk emitted at once changes nothing.
    fn read_once(&mut self) -> Step {
        if !self.kernel_reading {
            return Step::Stop;
        }
        let Some(io) = self.io.as_mut() else {
            return Step::Stop;
        };
        // Flowing with nothing buffered: the chunk goes straight to a listener (the test
        // `push_chunk` makes, before a decoder may hold bytes back).
        let flowing = self.flowing == Some(true) && self.read_queue.is_empty();
        // The arena only for such a chunk: a socket that buffers reads 64 KiB at a time,
        // as libuv does, so it stops at its highWaterMark after the same reads as Node.
        let large = self.read_large > 0 || !flowing;
        // What `take_bytes` would do with no decoder and `push_chunk` would return at once:
        // the bytes go straight to a listener. To a sole listener that borrows them, they
        // are lent where they were read (`ReadBuf::lend`).
        let direct = flowing && self.decoder.is_none() && !self.resume_scheduled;
        let lend = direct && self.events.sole0_borrows();
        let r = rt::with_read_buf(|rb| {
            let (buf, room) = rb.target(large, io::READ_SIZE);
            match io.read_buf(buf, room) {
                Ok(0) => Err(Step::Eof),
                // SAFETY: a lent chunk goes only to the sole listener, which only borrows
                // its argument (so it is dropped within the call), and `read_step` gives
                // the block back after that call.
                Ok(n) => Ok(match lend.then(|| unsafe { rb.lend(large) }).flatten() {
                    Some(b) => (b, n, room, true),
                    None => (rb.take(large), n, room, false),
                }),
                Err(e) if e.kind() == ErrorKind::WouldBlock => Err(Step::Stop),
                Err(e) if e.kind() == ErrorKind::Interrupted => Err(Step::Again),
                Err(e) => Err(Step::Fail(Error::from_io(&e, "read"))),
            }
        });
        match r {
            Some(Ok((b, n, room, lent))) => {
                // A read that filled its room may have left more in the kernel: not the
                // last (where the next read lands: `rt::readbuf::next_read_large`).
                let last = self.short_read(n, room);
                self.read_large = rt::readbuf::next_read_large(self.read_large, large, n, room);
                if direct {
                    self.count_read(n);
                    self.events.set_handle_flag();
                    return Step::Chunk(Chunk::Bytes(b), last, lent);
                }
                let buffered = self.read_len;
                let c = self.take_bytes(b);
                let grew = self.read_len != buffered;
                if grew {
                    self.sync_liveness();
                }
                match c {
                    Some(c) => {
                        self.events.set_handle_flag();
                        Step::Chunk(c, last, false)
                    }
                    // Node's addChunk: a chunk buffered while one is needed asks for
                    // `readable` (a decoder that kept every byte buffered nothing).
                    None => Step::Buffered {
                        last,
                        readable: grew && self.rd & RD_NEED != 0 && self.emit_readable(),
                    },
                }
            }
            Some(Err(step)) => step,
            None => Step::Stop,
        }
    }

    /// A read when nothing but reads is due: the socket is connected, nothing is queued to
    /// write or to read, no FIN or error was reported, and it flows with one lasting `data`
    /// listener and no decoder. Then the chunk goes straight to that listener, and nothing
    /// else is left to do for the event (no flush: the write queue is empty and no end is
    /// pending). What [`read_once_sole`](State::read_once_sole) and `on_ready` do in that
    /// case, with a dozen tests and one state access less.
    #[inline(always)]
    fn read_express(&mut self) -> Express {
        if self.connecting
            || self.hup_seen
            || self.ending
            || !self.kernel_reading
            || self.resume_scheduled
            || self.flowing != Some(true)
            || !self.wq.is_empty()
            || !self.read_queue.is_empty()
            || self.decoder.is_some()
        {
            return Express::No;
        }
        let Some(sole) = self.events.sole(DATA) else {
            return Express::No;
        };
        let Some(io) = self.io.as_mut() else {
            return Express::No;
        };
        let large = self.read_large > 0;
        let borrows = self.events.sole0_borrows();
        // A large read lent to a borrowing listener takes the general path (`read_once`,
        // then `read_lent` for the event's further reads): here, the lent read only lands
        // in the arena, so `target` and `lend` are compiled for it alone (their `large`
        // case inlined beside it cost an echoed message 9 more instructions, callgrind).
        if large && borrows {
            return Express::No;
        }
        // Nothing to send: a synthetic readiness asks for nothing more than this read.
        self.requeued = false;
        // The same read as `read_once`'s, written out again on purpose: shared through one
        // inlined helper, the compiler laid both callers out differently and an echoed
        // message cost 491 instructions instead of 444 (callgrind, 64 B at c50). The lent
        // read (a sole listener that borrows its chunk) is a closure of its own for the same
        // reason: one closure with the choice inside cost the owned-chunk read 7 more
        // instructions per message (510 against 503 at c50), and a function and `Express`
        // variant of its own cost both kinds about 50.
        let r = if borrows {
            rt::with_read_buf(|rb| {
                let (buf, room) = rb.target(false, io::READ_SIZE);
                match io.read_buf(buf, room) {
                    Ok(0) => Err(Step::Eof),
                    // SAFETY: the lent chunk goes only to `sole`, a listener that only
                    // borrows its argument (so it is dropped within the call), and
                    // `on_ready` gives the block back after that call.
                    Ok(n) => Ok(match unsafe { rb.lend(false) } {
                        Some(b) => (b, n, room, true),
                        None => (rb.take(false), n, room, false),
                    }),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => Err(Step::Stop),
                    Err(e) if e.kind() == ErrorKind::Interrupted => Err(Step::Again),
                    Err(e) => Err(Step::Fail(Error::from_io(&e, "read"))),
                }
            })
        } else {
            rt::with_read_buf(|rb| {
                let (buf, room) = rb.target(large, io::READ_SIZE);
                match io.read_buf(buf, room) {
                    Ok(0) => Err(Step::Eof),
                    Ok(n) => Ok((rb.take(large), n, room, false)),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => Err(Step::Stop),
                    Err(e) if e.kind() == ErrorKind::Interrupted => Err(Step::Again),
                    Err(e) => Err(Step::Fail(Error::from_io(&e, "read"))),
                }
            })
        };
        match r {
            Some(Ok((b, n, room, lent))) => {
                self.read_large = rt::readbuf::next_read_large(self.read_large, large, n, room);
                self.count_read(n);
                self.events.set_handle_flag();
                Express::Chunk(b, sole, n < room, lent)
            }
            Some(Err(step)) => Express::Step(step),
            None => Express::Step(Step::Stop),
        }
    }

    /// A bulk read lent to the sole `data` listener, which borrows its chunks: what
    /// [`read_once_sole`](State::read_once_sole) does for a flowing socket with nothing
    /// buffered, no decoder, and large reads, with no chunk or `Step` built on the way.
    /// At bulk upload: 291 instructions per 64 KiB read against 387 through
    /// `read_once_sole` (`benches/instructions.sh bulk-up`; raw mio 29-33), and perf user
    /// samples per GB 18.9-21.5 against 21.3-24.4, lower in each of 4 alternating pairs.
    /// [`Lent::No`] when the socket is not in that case (nothing was read).
    fn read_lent(&mut self) -> Lent {
        if !self.kernel_reading
            || self.read_large == 0
            || self.flowing != Some(true)
            || self.resume_scheduled
            || !self.read_queue.is_empty()
            || self.decoder.is_some()
            || !self.events.sole0_borrows()
        {
            return Lent::No;
        }
        let Some(sole) = self.events.sole(DATA) else {
            return Lent::No;
        };
        let Some(io) = self.io.as_ref() else {
            return Lent::No;
        };
        // SAFETY: the lent chunk goes only to `sole`, a listener that only borrows its
        // argument (so it is dropped within the call), and `read_kernel` gives the block
        // back after that call; `read_raw` writes within the room it is given.
        let r = rt::with_read_buf(|rb| unsafe {
            rb.read_lent_large(io::READ_SIZE, |p, len| io.read_raw(p, len))
        })
        .flatten();
        match r {
            None => Lent::No,
            Some(Ok((_, 0))) => Lent::Step(Step::Eof),
            Some(Ok((b, n))) => {
                self.read_large =
                    rt::readbuf::next_read_large(self.read_large, true, n, io::READ_SIZE);
                self.count_read(n);
                self.events.set_handle_flag();
                let last = self.short_read(n, io::READ_SIZE);
                Lent::Chunk(b, sole, last)
            }
            Some(Err(e)) if e.kind() == ErrorKind::WouldBlock => Lent::Step(Step::Stop),
            Some(Err(e)) => Lent::Step(Step::Fail(Error::from_io(&e, "read"))),
        }
    }

    /// One read of the `onread` lane: into the socket's own buffer, at most its length.
    /// The buffer leaves the state with the callback for the call ([`Socket::read_onread`]
    /// puts it back); `last` after a short read (the kernel is empty: with edge-triggered
    /// epoll, more data brings a new event) unless the peer's FIN or an error was reported.
    fn read_user(&mut self) -> UserRead {
        if !self.kernel_reading {
            return UserRead::Step(Step::Stop);
        }
        let (Some(io), Some(o)) = (
            self.io.as_ref(),
            self.rare.as_mut().and_then(|r| r.onread.as_mut()),
        ) else {
            return UserRead::Step(Step::Stop);
        };
        if o.callback.is_running() {
            // The callback is running (one shared with a socket whose callback is on the
            // stack): nothing is read now, and a synthetic readiness tries again at the
            // next poll, so the bytes wait in the kernel rather than being dropped.
            if let Some(t) = self.token {
                self.requeued = true;
                rt::requeue(t.get());
            }
            return UserRead::Step(Step::Stop);
        }
        if o.buffer.is_empty() {
            // libuv's answer to a read into no room (`uv__read`: UV_ENOBUFS).
            let e = std::io::Error::from_raw_os_error(libc::ENOBUFS);
            return UserRead::Step(Step::Fail(Error::from_io(&e, "read")));
        }
        let room = o.buffer.len();
        // SAFETY: `read_raw` writes at most `room` bytes at the start of the buffer, which
        // nothing else borrows during the call.
        match unsafe { io.read_raw(o.buffer.as_mut_ptr(), room) } {
            Ok(0) => UserRead::Step(Step::Eof),
            Ok(n) => {
                let buf = std::mem::take(&mut o.buffer);
                let cb = o.callback.clone();
                self.count_read(n);
                let last = self.short_read(n, room);
                UserRead::Got { buf, cb, n, last }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => UserRead::Step(Step::Stop),
            Err(e) if e.kind() == ErrorKind::Interrupted => UserRead::Step(Step::Again),
            Err(e) => UserRead::Step(Step::Fail(Error::from_io(&e, "read"))),
        }
    }

    /// [`read_once`](State::read_once), and with a chunk to emit, the `data` listener's
    /// snapshot when there is exactly one lasting listener, taken in the same state access:
    /// no user code runs before the emit, so it is the snapshot the emit would take, one
    /// table access sooner.
    #[inline]
    fn read_once_sole(&mut self) -> (Step, Option<events::Sole>) {
        let step = self.read_once();
        let sole = match &step {
            Step::Chunk(..) => self.events.sole(DATA),
            _ => None,
        };
        (step, sole)
    }

    /// Count `n` bytes just read; reading is activity for the idle timeout.
    #[inline]
    fn count_read(&mut self, n: usize) {
        self.bytes_read += n as u64;
        self.touch();
    }

    /// Count and decode bytes just read; returns the chunk to emit now, if any.
    fn take_bytes(&mut self, b: Bytes) -> Option<Chunk> {
        self.count_read(b.len());
        let chunk = match self.decoder.as_mut() {
            Some(d) => {
                let s = d.write(&b);
                if s.is_empty() {
                    return None;
                }
                Chunk::Str(s)
            }
            None => Chunk::Bytes(b),
        };
        self.push_chunk(chunk)
    }

    /// Deliver a chunk: returned to be emitted now when flowing with an empty buffer,
    /// otherwise buffered (and reading stops at highWaterMark).
    fn push_chunk(&mut self, chunk: Chunk) -> Option<Chunk> {
        if self.flowing == Some(true) && self.read_queue.is_empty() && !self.resume_scheduled {
            return Some(chunk);
        }
        self.buffer_back(chunk);
        None
    }

    /// Put a chunk back in front of the read buffer (an `unshift`; `read_len` counts it).
    fn buffer_front(&mut self, chunk: Chunk) {
        self.read_len += chunk.len();
        self.read_queue.push_front(chunk);
    }

    /// Add a chunk at the back of the read buffer (`read_len` counts it).
    fn buffer_back(&mut self, chunk: Chunk) {
        self.read_len += chunk.len();
        self.read_queue.push_back(chunk);
    }

    /// Node's `canPushMore`: the stream has not ended and its buffer is under the
    /// highWaterMark (or empty); what `unshift` returns.
    fn can_push_more(&self) -> bool {
        !self.eof && (self.read_len < self.read_hwm() || self.read_len == 0)
    }

    /// Node's `emitReadable`: a `readable` is no longer needed, and unless one is queued
    /// already, its tick is due; `true` when the caller queues it
    /// ([`Socket::emit_readable_tick`]). As Node's, it is queued whether or not a listener
    /// listens: the tick also flows a stream that flows by then (an `unshift()` while
    /// paused and a `resume()` right after it: the chunk comes before `resume`).
    fn emit_readable(&mut self) -> bool {
        self.rd &= !RD_NEED;
        if self.rd & RD_EMITTED != 0 {
            return false;
        }
        self.rd |= RD_EMITTED;
        true
    }

    /// Whether a `drain` is owed now (Node's `afterWrite`): a write passed the
    /// highWaterMark, and no byte is left and no end() made since.
    fn drain_owed(&self) -> bool {
        self.wq_len == 0 && self.need_drain && !self.ending
    }

    /// `drain_later`: the write completed inside the user's call, whose completion (and
    /// with it the `drain`) comes on next tick; Node's needDrain (`writableNeedDrain`)
    /// stays set until that tick decides.
    fn flush_once(&mut self, drain_later: bool) -> Flush {
        let group = match self.send_inflight() {
            Sent::Complete(group) => group,
            Sent::Partial { full } => return Flush::Partial { full },
            Sent::Blocked => return Flush::Blocked,
            Sent::Idle => return Flush::Idle,
            Sent::Fail(e) => return Flush::Fail(e),
        };
        let mut cbs = Vec::new();
        for w in self.wq.drain(..group) {
            self.wq_len -= w.units;
            cbs.extend(w.cb);
        }
        self.inflight = 0;
        // An idle socket holds no buffer.
        self.wq.release();
        // Node's `afterWrite` asks for no bytes left, not for no write left: a write of
        // nothing still buffered (held by a cork) does not hold the `drain` back.
        let drain = self.drain_owed();
        if drain && !drain_later {
            self.need_drain = false;
        }
        Flush::Done { cbs, drain }
    }

    /// libuv's own attempt at a write, right after Node's try-write in the same call
    /// (`uv_write` tries once before it waits for POLLOUT), when that try left part of the
    /// group in flight (or all of it: EAGAIN). What it meets shows when the write
    /// completes: a group it sends whole completes from the pending phase, as does an
    /// error, kept in [`Rare::again_failed`] until then (a destroy before that fails the
    /// group's writes with it, where a write the close cancels gets ECANCELED). `true`
    /// when the socket has to flush from the pending phase; else a writable edge is due.
    /// Over loopback, the peer's reset to the first try is what this send meets (EPIPE).
    #[cold]
    #[inline(never)]
    fn send_again(&mut self) -> bool {
        match self.send_inflight() {
            Sent::Complete(_) | Sent::Partial { full: false } => true,
            Sent::Fail(e) => {
                self.rare.get_or_insert_default().again_failed = Some(e);
                true
            }
            Sent::Partial { full: true } | Sent::Blocked | Sent::Idle => false,
        }
    }

    /// Send the unsent part of the write group in flight (of all that is queued, as one
    /// group, when none is): `Complete` with the group's length once none of it is left
    /// (with no system call when the group was sent already: by `send_again`).
    fn send_inflight(&mut self) -> Sent {
        // A cork holds what is buffered, not a write already handed over (Node's write in
        // flight goes on).
        if self.wq.is_empty()
            || (self.corked > 0 && self.inflight == 0)
            || self.connecting
            || self.destroyed
        {
            return Sent::Idle;
        }
        if let Some(e) = self.rare.as_mut().and_then(|r| r.again_failed.take()) {
            return Sent::Fail(e);
        }
        let Some(io) = self.io.as_ref() else {
            return Sent::Idle;
        };
        if self.inflight == 0 {
            // What was buffered goes to the kernel now, as one write (Node's writev): its
            // writes complete together, once the group's last byte is sent.
            self.inflight = self.wq.len() as u32;
        }
        let group = (self.inflight as usize).min(self.wq.len());
        // The group's unsent parts, at most IOV_MAX buffers per sendmsg.
        const STACK: usize = 64;
        let unsent = self
            .wq
            .iter()
            .take(group)
            .filter(|w| w.off < w.data.len())
            .map(|w| IoSlice::new(&w.data[w.off..]));
        // A group `send_again` sent whole offers nothing: it completes with no system call.
        // A group of empty writes still makes one, as libuv's write of no bytes does: on a
        // Unix socket whose peer is gone it fails with EPIPE (on TCP it takes nothing).
        let wq = &self.wq;
        let send = |slices: &[IoSlice<'_>]| {
            if !slices.is_empty() {
                io.send_vectored(slices)
            } else if wq.iter().take(group).any(|w| w.data.is_empty()) {
                io.send_vectored(&[IoSlice::new(&[])])
            } else {
                Ok(0)
            }
        };
        let mut offered = 0;
        let r = if group <= STACK {
            let mut slices: [IoSlice<'_>; STACK] = [IoSlice::new(&[]); STACK];
            let mut n = 0;
            for sl in unsent {
                offered += sl.len();
                slices[n] = sl;
                n += 1;
            }
            send(&slices[..n])
        } else {
            let slices: Vec<IoSlice<'_>> = unsent.take(IOV_MAX).collect();
            offered = slices.iter().map(|s| s.len()).sum();
            send(&slices)
        };
        let sent = match r {
            Ok(s) => s,
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Sent::Blocked,
            Err(e) if e.kind() == ErrorKind::Interrupted => return Sent::Blocked,
            Err(e) => return Sent::Fail(Error::from_io(&e, "write")),
        };
        self.touch();
        let mut left = sent;
        for w in self.wq.iter_mut().take(group) {
            let k = (w.data.len() - w.off).min(left);
            w.off += k;
            left -= k;
        }
        if self.wq.iter().take(group).any(|w| w.off < w.data.len()) {
            // A stream socket that takes less than it was offered is out of room (TCP and
            // Unix sockets both mark themselves so), and it signals writable again once a
            // good part of its buffer is free: libuv waits for that, and so do we. Offers
            // the kernel caps (over `MAX_RW_COUNT` bytes) say nothing and are sent again.
            return Sent::Partial {
                full: sent < offered.min(MAX_RW_COUNT),
            };
        }
        Sent::Complete(group)
    }
}

/// Take `want` units (bytes, or a string's UTF-16 code units) from the read buffer, as
/// Node's `fromList`: a part of the first chunk, or the first chunk as it is, when `want`
/// is within it; else the chunks joined, into one string when the socket decodes (where a
/// chunk of bytes, put back by `unshift` while decoding, joins as its UTF-8 text, as
/// Node's string concatenation makes it) and into one buffer when it does not. A string is
/// cut on a character boundary: a Rust string holds no half of a surrogate pair, so a cut
/// inside one leaves the whole pair (one unit fewer than asked for; Node's cut would split
/// it).
fn take_from_queue(st: &mut State, want: usize) -> Option<Chunk> {
    if want <= st.read_queue.front()?.len() {
        let head = st.read_queue.pop_front()?;
        let (taken, rest) = split_chunk(head, want);
        st.read_len -= taken.len();
        if let Some(rest) = rest {
            st.read_queue.push_front(rest);
        }
        return Some(taken);
    }
    let text = st.decoder.is_some();
    let mut out_b: Vec<u8> = Vec::new();
    let mut out_s = String::new();
    let mut left = want;
    while left > 0 {
        let Some(c) = st.read_queue.pop_front() else {
            break;
        };
        let (c, rest) = split_chunk(c, left);
        let taken = c.len();
        left -= taken;
        st.read_len -= taken;
        match c {
            Chunk::Bytes(b) if text => out_s.push_str(&String::from_utf8_lossy(&b)),
            Chunk::Bytes(b) => out_b.extend_from_slice(&b),
            Chunk::Str(s) => out_s.push_str(&s),
        }
        if let Some(rest) = rest {
            st.read_queue.push_front(rest);
            break;
        }
    }
    Some(if text {
        Chunk::Str(out_s)
    } else {
        Chunk::Bytes(Bytes::from(out_b))
    })
}

/// A chunk cut after `units` (bytes, or UTF-16 code units on a character boundary): the
/// part taken, and the rest if there is one.
fn split_chunk(c: Chunk, units: usize) -> (Chunk, Option<Chunk>) {
    if units >= c.len() {
        return (c, None);
    }
    match c {
        Chunk::Bytes(mut b) => {
            let head = b.split_to(units);
            (Chunk::Bytes(head), Some(Chunk::Bytes(b)))
        }
        Chunk::Str(mut s) => {
            let mut taken = 0;
            let mut cut = s.len();
            for (i, ch) in s.char_indices() {
                if taken + ch.len_utf16() > units {
                    cut = i;
                    break;
                }
                taken += ch.len_utf16();
            }
            let rest = s.split_off(cut);
            (Chunk::Str(s), Some(Chunk::Str(rest)))
        }
    }
}

#[cfg(test)]
#[test]
fn reads_from_the_buffer_take_what_node_takes_and_keep_surrogate_pairs_whole() {
    let mut st = State::default();
    let push = State::buffer_back;
    // Bytes: a part of the first chunk, the first chunk as it is, or chunks joined.
    push(&mut st, Chunk::Bytes(Bytes::from_static(b"abc")));
    push(&mut st, Chunk::Bytes(Bytes::from_static(b"de")));
    let b = |c: Option<Chunk>| c.map(|c| c.as_bytes().to_vec());
    assert_eq!(b(take_from_queue(&mut st, 1)), Some(b"a".to_vec()));
    assert_eq!(b(take_from_queue(&mut st, 2)), Some(b"bc".to_vec()));
    push(&mut st, Chunk::Bytes(Bytes::from_static(b"f")));
    assert_eq!(b(take_from_queue(&mut st, 3)), Some(b"def".to_vec()));
    assert_eq!(
        (st.read_len, take_from_queue(&mut st, 1).is_none()),
        (0, true)
    );
    // Decoding: text joined, bytes put back by unshift joining as UTF-8 text; a bytes
    // chunk alone comes out as bytes, as Node's.
    st.decoder = Some(Box::new(StringDecoder::new(Encoding::Utf8)));
    push(&mut st, Chunk::Bytes(Bytes::from_static(b"xy")));
    push(&mut st, Chunk::Str("z".into()));
    let got = take_from_queue(&mut st, 3).unwrap();
    assert_eq!(got.as_str(), Some("xyz"));
    push(&mut st, Chunk::Bytes(Bytes::from_static(b"q")));
    assert_eq!(take_from_queue(&mut st, 1).unwrap().as_str(), None);
    // A cut inside a surrogate pair (U+1F600 is two UTF-16 units) leaves the pair whole:
    // one unit fewer than asked for, where Node's would split it.
    push(&mut st, Chunk::Str("a\u{1F600}b".into()));
    assert_eq!(st.read_len, 4);
    assert_eq!(take_from_queue(&mut st, 2).unwrap().as_str(), Some("a"));
    assert_eq!(st.read_len, 3);
    assert_eq!(
        take_from_queue(&mut st, 3).unwrap().as_str(),
        Some("\u{1F600}b")
    );
    assert_eq!(st.read_len, 0);
}

/// The resolver's answers with repeats dropped, first occurrences kept in order (Node
/// tries an address once).
fn distinct(ips: &[IpAddr]) -> Vec<IpAddr> {
    let mut seen = std::collections::HashSet::with_capacity(ips.len());
    ips.iter().copied().filter(|ip| seen.insert(*ip)).collect()
}

/// Happy eyeballs order: alternate families, starting with the first address's.
fn interleave(ips: &[IpAddr]) -> Vec<IpAddr> {
    let first_v6 = ips[0].is_ipv6();
    let (a, b): (Vec<IpAddr>, Vec<IpAddr>) = ips.iter().partition(|ip| ip.is_ipv6() == first_v6);
    let mut out = Vec::with_capacity(ips.len());
    let (mut i, mut j) = (a.into_iter(), b.into_iter());
    loop {
        match (i.next(), j.next()) {
            (None, None) => break,
            (x, y) => {
                out.extend(x);
                out.extend(y);
            }
        }
    }
    out
}

/// What a connect attempt to `addr` binds first, from the socket's `localAddress` and
/// `localPort` (`Attempts::local`): the address, else the any-address of `addr`'s family,
/// and the port, else 0.
fn bind_side(local: Option<(Option<IpAddr>, u16)>, addr: SocketAddr) -> Option<SocketAddr> {
    local.map(|(ip, port)| {
        let any = if addr.is_ipv6() {
            IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED)
        } else {
            IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)
        };
        SocketAddr::new(ip.unwrap_or(any), port)
    })
}

/// `err`, a connect attempt's failure reported on the loop (refused, timed out), with the
/// local side it asked to bind named as Node's `createConnectionError` names it: only when
/// a local port was asked for (Node tests `localAddress && localPort`, and defaults the
/// address, never the port).
fn naming_asked_local(err: Error, local: Option<SocketAddr>) -> Error {
    match local {
        Some(l) if l.port() != 0 => err.with_local_side(l),
        _ => err,
    }
}

/// `err` with the local side named in its message as Node names it after a connect
/// refused at once: the address getsockname(2) gave, or `undefined:undefined` when it
/// failed (Node's empty socket name).
fn naming_local(err: Error, local: Option<SocketAddr>) -> Error {
    match local {
        Some(l) => err.with_local(&format!("{}:{}", l.ip(), l.port())),
        None => err.with_local("undefined:undefined"),
    }
}

/// Fail the writes queued for a connect, in order, as Node does once the first of them
/// (the one held for the connect) fails with `first`'s error and errors the stream: the
/// ones behind it get the destroy's error, or that same one when it had none (`None`: a
/// write made without a callback).
fn fail_in_order(cbs: Vec<Option<WriteCb>>, later: &Option<Error>, first: fn() -> Error) {
    for (i, cb) in cbs.into_iter().enumerate() {
        let Some(cb) = cb else { continue };
        cb(Some(match later {
            Some(e) if i > 0 => e.clone(),
            _ => first(),
        }));
    }
}

/// The attempt of a connect to a Unix path: the path, with no port or family (0 and 0).
fn path_attempt(path: &str, error: Option<Error>) -> AttemptInfo {
    AttemptInfo {
        address: path.to_string(),
        port: 0,
        family: 0,
        error,
    }
}

fn attempt_info(addr: SocketAddr, error: Option<Error>) -> AttemptInfo {
    AttemptInfo {
        address: addr.ip().to_string(),
        port: addr.port(),
        family: if addr.is_ipv4() { 4 } else { 6 },
        error,
    }
}

/// What an I/O event does after its reads.
#[derive(Clone, Copy)]
enum After {
    Nothing,
    /// The socket is connecting: the event says whether the connect finished.
    Connecting,
    Flush,
    /// A synthetic readiness: flush only if the kernel reports room now.
    FlushIfPollout(std::os::fd::RawFd),
}

enum Step {
    /// A chunk read and decoded, to emit; `true` after a short read; `true` when the chunk
    /// is lent from the read buffer (`ReadBuf::lend`): only for the sole listener, which
    /// borrows it, and given back after its call.
    Chunk(Chunk, bool, bool),
    /// A read buffered (or kept by the decoder): `last` after a short read; `readable`
    /// when its `readable` tick is to be queued ([`State::emit_readable`]).
    Buffered {
        last: bool,
        readable: bool,
    },
    Eof,
    Stop,
    Again,
    Fail(Error),
}

/// What [`State::read_express`] did.
enum Express {
    /// A chunk for the `data` listener; `true` after a short read; `true` when the chunk
    /// is lent from the read buffer (`rt::readbuf::ReadBuf::lend`) to a listener that only
    /// borrows it, and the buffer is to be given back after the call.
    Chunk(Bytes, events::Sole, bool, bool),
    /// The read's other outcomes.
    Step(Step),
    /// Not the express case: the event takes the general path.
    No,
}

/// What [`State::read_user`] did.
enum UserRead {
    /// `n` bytes read into `buf` (the socket's `onread` buffer, out of the state for the
    /// call to `cb`); `last` after a short read.
    Got {
        buf: Vec<u8>,
        cb: super::options::OnReadCallback,
        n: usize,
        last: bool,
    },
    /// The read's other outcomes.
    Step(Step),
}

/// What one state access of [`Socket::flow_impl`] found.
enum FlowStep {
    /// A buffered chunk to emit; `true`: it was the last one after the end of data, so
    /// `end` is due (its tick to queue before the chunk is emitted).
    Chunk(Chunk, bool),
    /// The resume's tick, first: its `read(0)` to make, its `resume` to emit.
    Resume { read0: bool, resume: bool },
    /// Nothing more flows; `true`: `end` is due (its tick to queue).
    Stop(bool),
}

/// What [`Socket::read`] found, in its state access.
enum Read {
    /// Nothing to return; `true`: `end` is due (its tick to queue).
    End(bool),
    /// A `read(0)` asked for `readable`; `true`: queue its tick.
    Tick(bool),
    /// What was taken, with whether to emit it as `data`; `true`: `end` is due.
    Got(Option<(Chunk, bool)>, bool),
}

/// What [`Socket::unshift`] did, in its state access.
enum Unshift {
    /// Nothing added; the return value.
    Done(bool),
    /// `end` was emitted already: an error.
    AfterEnd,
    /// Flowing with nothing buffered: emit the chunk now.
    Emit(Chunk),
    /// Put back: the return value, and whether to queue a `readable` tick.
    Queued(bool, bool),
}

/// What [`State::read_lent`] did.
enum Lent {
    /// A read lent to the sole `data` listener (which borrows it); `true` after a short
    /// read. The caller gives the read buffer back after the call.
    Chunk(Bytes, events::Sole, bool),
    /// The read's other outcomes.
    Step(Step),
    /// Not the lent lane's case: nothing was read.
    No,
}

enum Pre {
    Refuse(Error, bool),
    Fail(Error),
    Done(bool),
    Queued(bool),
    /// Sent in the call, not whole: in flight, with libuv's second send due
    /// (`State::send_again`).
    Sent(bool),
}

/// What [`State::send_inflight`] did.
enum Sent {
    Idle,
    Blocked,
    /// As [`Flush::Partial`].
    Partial {
        full: bool,
    },
    /// The whole group left: its length.
    Complete(usize),
    Fail(Error),
}

enum Flush {
    Idle,
    Blocked,
    /// Some of the group in flight was sent, not all of it; `full` when the kernel took
    /// less than it was offered, so its buffer is full and a writable edge is due.
    Partial {
        full: bool,
    },
    Done {
        cbs: Vec<WriteCb>,
        drain: bool,
    },
    Fail(Error),
}

/// What a destroy takes from a socket's state.
struct Torn {
    /// Read data was buffered: the destroy's tick cuts it off (`Rare::read_cut`).
    buffered: bool,
    io: Option<Stream>,
    token: Option<NonZeroUsize>,
    server: Option<Server>,
    had_handle: bool,
    /// The callbacks left to fail; `None` (nothing allocated) when there are none.
    cbs: Option<Box<LeftCbs>>,
    /// The socket's listener on its abort signal, to remove.
    abort: Option<AbortHook>,
    /// The `onread` callback, dropped once the table is released.
    onread: Option<super::OnRead>,
    /// The address of the happy-eyeballs attempt the destroy cancelled.
    cancelled: Option<SocketAddr>,
    /// The error of a write that failed at once (`Rare::errored`).
    errored: Option<Error>,
}

/// The write and end callbacks a destroy leaves to fail.
struct LeftCbs {
    /// Buffered writes' callbacks.
    cbs: Vec<WriteCb>,
    /// The callbacks of the writes in flight (cancelled by the close).
    cancelled: Vec<WriteCb>,
    /// What their second send met ([`Rare::again_failed`]): their error in place of
    /// ECANCELED.
    again_failed: Option<Error>,
    /// A write was in flight.
    writing: bool,
    end_cbs: Vec<WriteCb>,
    /// The bytes of the buffered writes, which `bytes_written` stops counting once they
    /// are dropped.
    dropped: u64,
    /// The callbacks of the writes queued while connecting, in order, `None` for a write
    /// made without one.
    before_connect: Vec<Option<WriteCb>>,
}

/// What [`Socket::clear_buffer`] did.
enum Cleared {
    /// The buffered writes all left; `drain`: the queue emptied with a drain owed.
    Done {
        drain: bool,
    },
    /// The kernel took only part of them.
    Partial,
    Fail(Error),
    /// Nothing left (nothing buffered, corked, or the kernel full).
    Idle,
}

enum Fin {
    Nothing,
    Deferred,
    /// Shut the writable side down in the pending phase, then finish.
    Shutdown,
    Tick,
}

/// Run a destroy's `close` in the close phase when the socket had a handle (libuv's close
/// callback), else on next tick.
fn close_later(had_handle: bool, f: impl FnOnce() + 'static) {
    if had_handle {
        rt::on_close_phase(f);
    } else {
        rt::next_tick(f);
    }
}

/// Whether the kernel reports the socket writable now (poll(2) POLLOUT, no wait): the same
/// threshold as an EPOLLOUT edge and as libuv's level-triggered POLLOUT, for a readiness
/// that may be synthetic.
fn pollout_now(fd: std::os::fd::RawFd) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLOUT,
        revents: 0,
    };
    // SAFETY: one valid pollfd, no timeout; `fd` is the socket's open descriptor.
    let n = unsafe { libc::poll(&mut p, 1, 0) };
    n == 1 && p.revents & libc::POLLOUT != 0
}

fn dispatch(key: usize, ready: Ready) {
    let s = Socket::from_key(key);
    s.on_ready::<false>(ready);
    if ready.hup {
        s.drain_on_hup();
    }
}

/// The events of sockets made with `onread` (see [`OnRead`](super::OnRead)).
fn dispatch_onread(key: usize, ready: Ready) {
    let s = Socket::from_key(key);
    s.on_ready::<true>(ready);
    if ready.hup {
        s.drain_on_hup();
    }
}

/// [`State::fin_queued`]: `finish` is queued.
const FIN_QUEUED: u8 = 1;
/// [`State::fin_queued`]: the shutdown, then `finish`, are queued.
const FIN_QUEUED_SHUTDOWN: u8 = 2;

/// How the loop reaches `onread` sockets: `on_ready` with the `onread` lane compiled in,
/// so that the lane costs the other sockets nothing (compiled into their `on_ready`, it
/// pushed the express lane's table access out of line: owned echo at c50 cost 550
/// instructions per message against 524, callgrind).
static ONREAD_KIND: rt::IoKind = rt::IoKind {
    dispatch: dispatch_onread,
    prefetch,
    own_requeue: false,
};

/// How the loop reaches sockets: their events, and the prefetch of a socket's hot state
/// lines and of its `data` listener ahead of its event.
static KIND: rt::IoKind = rt::IoKind {
    dispatch,
    prefetch,
    own_requeue: false,
};

fn prefetch(far: usize, near: usize) {
    // `NO_KEY`'s index is past the end of any table.
    SOCKETS.with(|t| {
        let Ok(t) = t.try_borrow() else {
            return;
        };
        if let Some(st) = t.slots.get(Socket::from_key(far).idx as usize) {
            let p = st as *const State as *const u8;
            rt::prefetch_line(p);
            rt::prefetch_line(p.wrapping_add(64));
        }
        if let Some(p) = t
            .slots
            .get(Socket::from_key(near).idx as usize)
            .and_then(|st| st.events.sole0_addr())
        {
            // The count an emit's clone bumps, and the closure (16-byte aligned, so in
            // one line); usually one line, two when the allocation straddles.
            rt::prefetch_line(p.wrapping_sub(16));
            rt::prefetch_line(p);
        }
    });
}

// Node's socket listens to its own `end` (`onReadableStreamEnd`), and counts it.
impl_emitter!(Socket, own = 1 << END);

impl_emits!(Socket {
    Data(Chunk) = 0 "data";
    End(()) = 1 "end";
    Close(bool) = 2 "close";
    Error(Error) = 3 "error";
    Connect(()) = 4 "connect";
    Ready(()) = 5 "ready";
    Drain(()) = 6 "drain";
    Finish(()) = 7 "finish";
    Timeout(()) = 8 "timeout";
    Lookup(LookupInfo) = 9 "lookup";
    ConnectionAttempt(AttemptInfo) = 10 "connectionAttempt";
    ConnectionAttemptFailed(AttemptInfo) = 11 "connectionAttemptFailed";
    ConnectionAttemptTimeout(AttemptInfo) = 12 "connectionAttemptTimeout";
    Readable(()) = 13 "readable";
    Pause(()) = 14 "pause";
    Resume(()) = 15 "resume";
    Pipe(Socket) = 16 "pipe";
    Unpipe(Socket) = 17 "unpipe";
});

/// A string to write as its bytes in `encoding` and the units `writable_length` counts for
/// it (its UTF-16 units, its `length` in JavaScript, whatever the encoding).
fn encode_string(s: String, encoding: Encoding) -> (Bytes, usize) {
    let units = utf16_len(&s);
    if encoding == Encoding::Utf8 {
        (Bytes::from(s), units)
    } else {
        (Bytes::from(crate::encoding::encode(&s, encoding)), units)
    }
}

/// Connect to a server (Node's `net.connect`): a port (host `localhost`), `(port, host)`,
/// a Unix path via [`ConnectOptions::path`], or full [`ConnectOptions`].
///
/// ```
/// use nodenet::net::{self, events::*};
/// nodenet::run(|| {
///     let server = net::create_server();
///     server.on(Connection, move |socket| {
///         socket.end_with("hi");
///         server.close();
///     });
///     server.on(Listening, move |_| {
///         let port = server.address().unwrap().port();
///         let client = net::connect((port, "127.0.0.1"));
///         client.on(Data, |chunk| assert_eq!(chunk.as_bytes(), b"hi"));
///     });
///     server.listen((0, "127.0.0.1"));
/// })?;
/// # Ok::<(), nodenet::Error>(())
/// ```
pub fn connect(opts: impl Into<ConnectOptions>) -> Socket {
    let opts = opts.into();
    let s = Socket::new(SocketOptions {
        allow_half_open: opts.allow_half_open,
        high_water_mark: opts.high_water_mark,
        type_of_service: opts.type_of_service,
        signal: opts.signal.clone(),
        onread: opts.onread.clone(),
        default_encoding: opts.default_encoding,
    });
    s.connect(opts)
}

/// [`connect`], with the errors Node's `net.connect()` throws returned before a socket is
/// made (see [`Socket::try_connect`]).
pub fn try_connect(opts: impl Into<ConnectOptions>) -> Result<Socket, Error> {
    let opts = opts.into();
    validate_connect(&opts)?;
    Ok(connect(opts))
}

/// What Node's `connect()` throws for, checked before anything starts. Node checks these
/// in its TCP path only: a Unix path connect ignores both options.
fn validate_connect(opts: &ConnectOptions) -> Result<(), Error> {
    if opts.path.is_some() {
        return Ok(());
    }
    if let Some(a) = opts.local_address.as_deref()
        && !a.is_empty()
        && super::address::is_ip(a) == 0
    {
        return Err(Error::node(
            "ERR_INVALID_IP_ADDRESS",
            format!("Invalid IP address: {a}"),
        ));
    }
    let t = opts.auto_select_family_attempt_timeout;
    if t == 0 || t > i32::MAX as u64 {
        let e = super::address::AddressError::out_of_range(
            "options.autoSelectFamilyAttemptTimeout",
            1,
            i64::from(i32::MAX),
            i64::try_from(t).unwrap_or(i64::MAX),
        );
        return Err(Error::node("ERR_OUT_OF_RANGE", e.message));
    }
    Ok(())
}

/// The same as [`connect`] (Node's `net.createConnection`).
pub fn create_connection(opts: impl Into<ConnectOptions>) -> Socket {
    connect(opts)
}
