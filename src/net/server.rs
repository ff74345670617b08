//! `Server`: Node's `net.Server`.
//!
//! Rules kept from Node: `listen` binds at once when no host is given (with a host, after
//! the lookup) and emits `listening` on next tick; bind errors come as `error` on next
//! tick, with no `close`, and the server may listen again. `close()` stops accepting at
//! once; `close` is emitted on next tick once the listener is gone and no accepted socket
//! is left (the count drops when a socket is destroyed, not when it emits `close`). Accepting
//! runs until `WouldBlock`; on EMFILE/ENFILE a spare descriptor is given up to accept and
//! close the pending connection (libuv's trick), and if even that fails accepting pauses
//! for a short retry timer, so the loop never spins.
//!
//! Listening on a [`BoundSocket`](super::BoundSocket) (`ListenOptions::bound`, Node's
//! `listen(bound)`) takes its descriptor over once the server is known not to listen
//! already: listen(2) on it, `listening()` true at once and `listening` on next tick, or,
//! should listen(2) fail (another socket bound to the port listens already), an `error`
//! on next tick (`listen EADDRINUSE: address already in use`, no address: Node has none
//! for an adopted handle).
//!
//! Listening on a descriptor the user has (`ListenOptions::fd`, Node's `listen({ fd })`)
//! takes it over as Node does: listen(2) on it, `listening` on next tick, and for a
//! descriptor that is not a stream socket an `error` on next tick (EINVAL, or ENOTSOCK
//! for a FIFO). What Node's `listen()` throws synchronously (readableAll/writableAll on an
//! abstract path, a negative fd) is `try_listen`'s `Err`, and `listen`'s `error` on next
//! tick.

use std::cell::RefCell;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use slab::Slab;

use super::options::{ListenOptions, ServerOptions};
use super::{AddressInfo, Socket};
use crate::error::{Error, codes};
use crate::events::{self, EventTable, impl_emits, impl_emitter};
use crate::io::{self, ListenSpec, Listener, Spare};
use crate::rt::{self, Ready};

/// A TCP or Unix server, Node's `net.Server`: a small `Copy` id into the loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Server {
    idx: u32,
    gen_: u32,
}

/// What a server's `address()` gives: an IP address, or a Unix path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerAddress {
    /// Listening on TCP.
    Inet(AddressInfo),
    /// Listening on a Unix socket path.
    Path(String),
}

impl ServerAddress {
    /// The TCP port (0 for a path).
    pub fn port(&self) -> u16 {
        match self {
            ServerAddress::Inet(a) => a.port,
            ServerAddress::Path(_) => 0,
        }
    }
}

impl fmt::Display for ServerAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServerAddress::Inet(a) => a.fmt(f),
            ServerAddress::Path(p) => write!(f, "\"{p}\""),
        }
    }
}

/// What a `drop` event brings: the refused connection's addresses.
///
/// A Unix socket's connection has none: Node emits `drop` with no argument there, and
/// every field here is `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropInfo {
    /// Our address.
    pub local_address: Option<String>,
    /// Our port.
    pub local_port: Option<u16>,
    /// The peer's address.
    pub remote_address: Option<String>,
    /// The peer's port.
    pub remote_port: Option<u16>,
    /// `"IPv4"` or `"IPv6"`.
    pub remote_family: Option<&'static str>,
}

#[derive(Default)]
struct State {
    gen_: u32,
    listener: Option<Listener>,
    token: Option<usize>,
    events: EventTable,
    opts: ServerOptions,
    connections: usize,
    max_connections: Option<usize>,
    refed: bool,
    counted: bool,
    listen_seq: u64,
    spare: Option<Spare>,
    retry: Option<rt::Timer>,
    /// The poll round a connection was last taken in (see `Server::on_listener_ready`).
    accept_round: u64,
    /// The path of the last listen on a Unix socket path (Node's `_pipeName`, which
    /// `address()` answers from the `listen` call on, even after a failed listen or a
    /// close).
    pipe_name: Option<String>,
}

impl State {
    /// Closed and with no connection left: `close` is due.
    fn drained(&self) -> bool {
        self.listener.is_none() && self.connections == 0
    }

    fn sync_liveness(&mut self) {
        let live = self.refed && self.listener.is_some();
        if live != self.counted {
            rt::handle_alive(if live { 1 } else { -1 });
            self.counted = live;
        }
    }
}

thread_local! {
    static SERVERS: RefCell<Slab<State>> = const { RefCell::new(Slab::new()) };
    static NEXT_GEN: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

fn teardown() {
    let all = SERVERS.with(|s| std::mem::take(&mut *s.borrow_mut()));
    drop(all);
}

/// Create a server (Node's `net.createServer()`); add a `connection` listener and `listen`.
///
/// ```
/// use nodenet::net::{self, events::*};
/// nodenet::run(|| {
///     let server = net::create_server();
///     server.on(Listening, move |_| {
///         assert!(server.address().is_some());
///         server.close();
///     });
///     server.listen((0, "127.0.0.1"));
/// })?;
/// # Ok::<(), nodenet::Error>(())
/// ```
pub fn create_server() -> Server {
    create_server_with(ServerOptions::default())
}

/// Create a server with options (Node's `net.createServer(options)`).
pub fn create_server_with(opts: ServerOptions) -> Server {
    rt::on_teardown(teardown);
    let gen_ = NEXT_GEN.with(rt::next_gen);
    let idx = SERVERS.with(|t| {
        t.borrow_mut().insert(State {
            gen_,
            opts,
            refed: true,
            ..State::default()
        })
    });
    Server {
        idx: idx as u32,
        gen_,
    }
}

impl Server {
    fn with<R>(self, f: impl FnOnce(&mut State) -> R) -> Option<R> {
        SERVERS.with(|t| {
            let mut t = t.try_borrow_mut().ok()?;
            let st = t.get_mut(self.idx as usize)?;
            if st.gen_ != self.gen_ {
                return None;
            }
            let r = f(st);
            st.sync_liveness();
            Some(r)
        })
    }

    fn with_events<R>(&self, f: impl FnOnce(&mut EventTable) -> R) -> Option<R> {
        self.with(|st| f(&mut st.events))
    }

    fn listener_added(&self, _slot: u8) {}

    fn listener_removed(&self, _slot: u8) {}

    fn key(self) -> usize {
        ((self.gen_ as usize) << 32) | self.idx as usize
    }

    /// Start listening (Node's `listen`): a port, `(port, host)`, `(port, host, backlog)`,
    /// or [`ListenOptions`] (Unix path, `SO_REUSEPORT`, `readableAll`/`writableAll`, an
    /// abort `signal` that closes the server). `listening` follows on next tick, or
    /// `error` (EADDRINUSE, ...) on next tick. Listening twice without closing emits
    /// ERR_SERVER_ALREADY_LISTEN (on next tick; Node throws it, as [`try_listen`] returns
    /// it).
    ///
    /// Options Node refuses by throwing from `listen()` (see [`try_listen`]) come here as
    /// an `error` event on next tick, since `listen` returns the server for chaining.
    ///
    /// [`try_listen`]: Server::try_listen
    pub fn listen(self, opts: impl Into<ListenOptions>) -> Server {
        if let Err(e) = self.try_listen(opts) {
            rt::next_tick(move || {
                self.emit(events::Error, e);
            });
        }
        self
    }

    /// As [`listen`](Server::listen), but what Node's `listen()` throws is returned here,
    /// at once, and the server is left as it was:
    ///
    /// - `readable_all` or `writable_all` on an abstract Unix path (a leading `\0`):
    ///   `ERR_INVALID_ARG_VALUE`;
    /// - the socket file's mode could not be set: a system error with syscall
    ///   `uv_pipe_chmod` (the new listener is closed again);
    /// - the server is already listening: `ERR_SERVER_ALREADY_LISTEN` (Node checks this
    ///   first, before it even adds the listen callback); the server keeps listening where
    ///   it was (a bound socket in the options stays the bound socket's);
    /// - [`ListenOptions::bound`] with a bound socket adopted or closed since the options
    ///   were made: `ERR_SOCKET_HANDLE_ADOPTED`.
    ///
    /// Everything that fails later (bind, listen, lookup) is still an `error` event.
    ///
    /// ```
    /// use nodenet::net::{self, ListenOptions};
    /// nodenet::run(|| {
    ///     let server = net::create_server();
    ///     let opts = ListenOptions::path("\0nodenet-doc-abstract").readable_all(true);
    ///     let err = server.try_listen(opts).unwrap_err();
    ///     assert_eq!(err.code(), "ERR_INVALID_ARG_VALUE");
    ///     assert!(!server.listening());
    /// })?;
    /// # Ok::<(), nodenet::Error>(())
    /// ```
    pub fn try_listen(self, opts: impl Into<ListenOptions>) -> Result<Server, Error> {
        let opts = opts.into();
        if self.listening() {
            return Err(codes::server_already_listen());
        }
        validate(&opts)?;
        let Some(seq) = self.with(|st| {
            st.listen_seq += 1;
            st.listen_seq
        }) else {
            return Ok(self);
        };
        if let Some(handle) = &opts.handle {
            // Node adopts the bound socket only once the server is known to be free.
            let fd = handle.take()?;
            let r = io::listener_from_bound(fd, opts.backlog.unwrap_or(511));
            self.watch_signal(&opts);
            self.bound(r, |errno| Error::uv(errno, "listen"));
            return Ok(self);
        }
        if let Some(fd) = &opts.fd {
            let backlog = opts.backlog.unwrap_or(511);
            // A descriptor an earlier listen took (through a clone of the options) is gone.
            let r = match fd.take() {
                Some(fd) => io::listener_from_fd(fd, backlog),
                None => Err(std::io::Error::from_raw_os_error(libc::EBADF)),
            };
            self.watch_signal(&opts);
            self.bound(r, |errno| Error::uv(errno, "listen"));
            return Ok(self);
        }
        if let Some(path) = opts.path.clone() {
            self.with(|st| st.pipe_name = Some(path.clone()));
            let backlog = opts.backlog.unwrap_or(511);
            let r = io::listen_unix(&path, backlog).map(|l| Listener::Unix(l, Some(path.clone())));
            if let (Ok(_), Some(mode)) = (&r, opts.socket_file_mode()) {
                // Node sets the mode right after listen, and throws if it cannot; the new
                // listener is closed (and its file removed) when `r` is dropped.
                if let Err(e) = io::chmod_path(&path, mode) {
                    return Err(Error::from_io(&e, "uv_pipe_chmod"));
                }
            }
            self.watch_signal(&opts);
            self.bound(r, |errno| {
                Error::uv_with_address(errno, "listen", &path, None)
            });
            return Ok(self);
        }
        self.watch_signal(&opts);
        match opts.host.clone() {
            None => {
                let mut spec = spec_for(&opts, IpAddr::V6(Ipv6Addr::UNSPECIFIED));
                let mut r = io::listen_tcp(&spec);
                if matches!(&r, Err(e) if e.raw_os_error() == Some(libc::EAFNOSUPPORT)) {
                    spec.addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), opts.port);
                    r = io::listen_tcp(&spec);
                }
                let addr = spec.addr.ip().to_string();
                self.bound(r.map(Listener::Tcp), |errno| {
                    Error::uv_with_address(errno, "listen", &addr, Some(opts.port))
                });
            }
            Some(host) => {
                // Node looks the host up first, even an IP literal (on next tick).
                if let Ok(ip) = host.parse::<IpAddr>() {
                    rt::next_tick(move || self.bind_ip(seq, ip, &opts));
                } else {
                    let h = host.clone();
                    rt::queue_work(
                        move || io::lookup_any(&h),
                        move |res| match res {
                            Ok(ips) => self.bind_ip(seq, listen_address(&ips), &opts),
                            Err(f) => {
                                let e = Error::lookup(f.code, f.errno, &host);
                                self.emit(events::Error, e);
                            }
                        },
                    );
                }
            }
        }
        Ok(self)
    }

    /// Node's listen `signal`: close when it aborts; if it has already, close on next tick
    /// (queued before `listening`, which then finds the server closed). The listener is
    /// removed when the server emits `close` (a `close` listener added now, as Node's),
    /// so an abort between `close()` and its event closes once more, as in Node.
    ///
    /// Called once `listen` can no longer fail at once (a `try_listen` error leaves the
    /// server as it was), and before anything queues `listening`.
    fn watch_signal(self, opts: &ListenOptions) {
        let Some(signal) = opts.signal.clone() else {
            return;
        };
        if signal.aborted() {
            rt::next_tick(move || {
                self.close();
            });
            return;
        }
        let id = signal.on_abort(move |_| {
            self.close();
        });
        self.once(events::Close, move |_| signal.off(id));
    }

    fn bind_ip(self, seq: u64, ip: IpAddr, opts: &ListenOptions) {
        // A close() or another listen() since this one was asked for supersedes it.
        if self.with(|st| st.listen_seq == seq && st.listener.is_none()) != Some(true) {
            return;
        }
        let spec = spec_for(opts, ip);
        let r = io::listen_tcp(&spec).map(Listener::Tcp);
        self.bound(r, |errno| {
            Error::uv_with_address(errno, "listen", &ip.to_string(), Some(opts.port))
        });
    }

    /// Take a new listener, or report why there is none with the error `error` makes of
    /// the errno (on next tick, as Node).
    fn bound(self, r: std::io::Result<Listener>, error: impl FnOnce(i32) -> Error) {
        let mut l = match r {
            Ok(l) => l,
            Err(e) => {
                let err = error(e.raw_os_error().unwrap_or(libc::EINVAL));
                rt::next_tick(move || {
                    self.emit(events::Error, err);
                });
                return;
            }
        };
        match rt::register_readable(l.source(), &KIND, self.key()) {
            Ok(token) => {
                self.with(|st| {
                    st.listener = Some(l);
                    st.token = Some(token);
                    st.spare.get_or_insert_with(Spare::new);
                });
                rt::next_tick(move || {
                    if self.listening() {
                        self.emit(events::Listening, ());
                    }
                });
            }
            Err(e) => {
                let err = Error::from_io(&e, "listen");
                rt::next_tick(move || {
                    self.emit(events::Error, err);
                });
            }
        }
    }

    /// A poll reported the listener (or its synthetic readiness came): take one
    /// connection, unless one was taken in this poll round already (the poll's real event
    /// and the synthetic one asked for after the last connection can both come).
    fn on_listener_ready(self) {
        let round = rt::poll_round();
        let first = self.with(|st| std::mem::replace(&mut st.accept_round, round) != round);
        if first == Some(true) {
            self.accept_one();
        }
    }

    /// Take one waiting connection (see `accept_next_iteration`).
    fn accept_one(self) {
        loop {
            // Node drains the next-tick queue after each connection's callback, before
            // libuv accepts the next (a tick the last one queued runs first).
            if !rt::between_callbacks() {
                return;
            }
            let r = self.with(|st| {
                let l = st.listener.as_ref()?;
                Some(match l.accept() {
                    Ok(s) => {
                        Accepted::Stream(s, st.opts.clone(), st.max_connections, st.connections)
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => Accepted::Done,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => Accepted::Again,
                    Err(e)
                        if matches!(
                            e.raw_os_error(),
                            Some(libc::EMFILE)
                                | Some(libc::ENFILE)
                                | Some(libc::ENOBUFS)
                                | Some(libc::ENOMEM)
                        ) =>
                    {
                        let ok = st.spare.as_mut().map(|s| s.shed(l)).unwrap_or(false);
                        log::warn!(
                            "accept: {e}; shed pending connections (spare fd reopened: {ok})"
                        );
                        // The queue was drained to EAGAIN: wait for the next edge. (Trying
                        // again now would spin: Linux reports EMFILE before it looks at
                        // the queue.)
                        if ok {
                            Accepted::Done
                        } else {
                            Accepted::Exhausted
                        }
                    }
                    Err(e) if e.raw_os_error() == Some(libc::ECONNABORTED) => Accepted::Again,
                    Err(e) => Accepted::Fail(Error::from_io(&e, "accept")),
                })
            });
            match r.flatten() {
                None | Some(Accepted::Done) => return,
                Some(Accepted::Again) => continue,
                Some(Accepted::Exhausted) => {
                    // No spare fd: wait a little for descriptors to free up.
                    let t = rt::set_timeout(100, move || {
                        self.with(|st| st.retry = None);
                        self.accept_one();
                    })
                    .unref();
                    self.with(|st| st.retry = Some(t));
                    return;
                }
                Some(Accepted::Fail(e)) => {
                    self.emit(events::Error, e);
                    return;
                }
                Some(Accepted::Stream(stream, opts, max, n)) => {
                    let blocked = opts
                        .block_list
                        .as_ref()
                        .is_some_and(|bl| stream.peer_addr().is_some_and(|a| bl.check_ip(a.ip())));
                    if blocked {
                        // Node closes it at once: no socket, no event.
                        drop(stream);
                        self.accept_next_iteration();
                        return;
                    }
                    if max.is_some_and(|m| n >= m) {
                        let info = DropInfo {
                            local_address: stream.local_addr().map(|a| a.ip().to_string()),
                            local_port: stream.local_addr().map(|a| a.port()),
                            remote_address: stream.peer_addr().map(|a| a.ip().to_string()),
                            remote_port: stream.peer_addr().map(|a| a.port()),
                            remote_family: stream
                                .peer_addr()
                                .map(|a| if a.is_ipv4() { "IPv4" } else { "IPv6" }),
                        };
                        drop(stream);
                        self.emit(events::Drop, info);
                        self.accept_next_iteration();
                        return;
                    }
                    if let Some(sock) = Socket::accepted(stream, self, &opts) {
                        self.with(|st| st.connections += 1);
                        self.emit(events::Connection, sock);
                    }
                    self.accept_next_iteration();
                    return;
                }
            }
        }
    }

    /// One connection taken: the next waits for the next loop iteration. libuv (Node 24)
    /// accepts once per poll event of a listener and its level-triggered poll reports the
    /// listener again while connections wait, so between two connections the loop runs
    /// its other phases (the first one's immediates, timers, other sockets' events); here
    /// the listener asks for a synthetic readiness in the next poll phase, delivered
    /// before that poll's own events, as epoll reports a level-triggered handle again
    /// first. (Accepting every waiting connection in one event, as raw mio servers do,
    /// ran the second connection's listener before the first one's immediates.)
    fn accept_next_iteration(self) {
        if let Some(Some(t)) = self.with(|st| st.token) {
            rt::requeue(t);
        }
    }

    /// An accepted socket was destroyed.
    pub(crate) fn connection_gone(self) {
        let drained = self.with(|st| {
            st.connections = st.connections.saturating_sub(1);
            st.drained()
        });
        self.close_if(drained == Some(true));
    }

    fn emit_close_if_drained(self) {
        let drained = self.with(|st| st.drained());
        self.close_if(drained == Some(true));
    }

    /// Emit `close` on next tick if `drained` (the server's last connection is gone and it
    /// no longer listens).
    fn close_if(self, drained: bool) {
        if drained {
            rt::next_tick(move || {
                self.emit(events::Close, ());
            });
        }
    }

    /// Stop accepting (Node's `close`): `close` follows once every accepted socket is gone.
    pub fn close(self) -> Server {
        let l = self.with(|st| {
            st.listen_seq += 1;
            if let Some(t) = st.retry.take() {
                rt::clear_timeout(t);
            }
            st.listener.take().map(|l| (l, st.token.take()))
        });
        if let Some(Some((mut l, token))) = l {
            if let Some(t) = token {
                rt::deregister(l.source(), t);
            }
            drop(l);
        }
        self.emit_close_if_drained();
        self
    }

    /// As [`close`](Server::close), calling `cb` on `close`: with `None`, or with
    /// ERR_SERVER_NOT_RUNNING when the server was not listening.
    pub fn close_cb(self, cb: impl FnOnce(Option<Error>) + 'static) -> Server {
        let running = self.listening();
        if running {
            self.once(events::Close, move |_| cb(None));
        } else {
            self.once(events::Close, move |_| {
                cb(Some(codes::server_not_running()))
            });
        }
        self.close()
    }

    /// Whether the server is listening (Node's `listening`).
    pub fn listening(self) -> bool {
        self.with(|st| st.listener.is_some()).unwrap_or(false)
    }

    /// The bound address (Node's `address()`): the TCP address while listening on TCP,
    /// else the path of the last listen on a Unix socket path, from that `listen` call on
    /// (before `listening`, after a failed listen and after `close`, as Node answers),
    /// else `None`.
    pub fn address(self) -> Option<ServerAddress> {
        self.with(|st| match st.listener.as_ref() {
            Some(Listener::Tcp(l)) => l
                .local_addr()
                .ok()
                .map(|a| ServerAddress::Inet(AddressInfo::from_sockaddr(a))),
            // A Unix socket given as a descriptor has no path: Node's address() is null
            // for it (or the path of an earlier listen).
            _ => st.pipe_name.clone().map(ServerAddress::Path),
        })
        .flatten()
    }

    /// Let the loop exit while the server listens (Node's `unref`): it keeps accepting,
    /// but only open connections keep the process alive.
    pub fn unref(self) -> Server {
        self.with(|st| st.refed = false);
        self
    }

    /// Keep the loop alive while listening again (Node's `ref`).
    pub fn ref_(self) -> Server {
        self.with(|st| st.refed = true);
        self
    }

    /// The number of accepted sockets not yet destroyed.
    pub fn connections(self) -> usize {
        self.with(|st| st.connections).unwrap_or(0)
    }

    /// Node's `getConnections(cb)`: `cb` gets the count on next tick.
    pub fn get_connections(self, cb: impl FnOnce(Result<usize, Error>) + 'static) {
        let n = self.connections();
        rt::next_tick(move || cb(Ok(n)));
    }

    /// Refuse connections beyond `max` (Node's `maxConnections`; `None` is no limit, and
    /// as in Node 24, `Some(0)` refuses all). Refused connections emit `drop`.
    pub fn set_max_connections(self, max: Option<usize>) -> Server {
        self.with(|st| st.max_connections = max);
        self
    }

    /// The limit set with [`set_max_connections`](Server::set_max_connections).
    pub fn max_connections(self) -> Option<usize> {
        self.with(|st| st.max_connections).flatten()
    }
}

/// What Node's `listen()` throws for, before anything is bound.
fn validate(opts: &ListenOptions) -> Result<(), Error> {
    if let Some(fd) = opts.fd.as_ref().map(|f| f.as_raw())
        && fd < 0
    {
        return Err(codes::invalid_arg_value(
            "options",
            "is invalid: fd must be a descriptor (>= 0)",
            &format!("fd {fd}"),
        ));
    }
    if opts.fd.is_none()
        && let Some(path) = &opts.path
        && path.starts_with('\0')
        && (opts.readable_all || opts.writable_all)
    {
        return Err(codes::invalid_arg_value(
            "options",
            "cannot set readableAll or writableAll on an abstract Unix socket (it has no file)",
            &format!("path {path:?}"),
        ));
    }
    Ok(())
}

fn spec_for(opts: &ListenOptions, ip: IpAddr) -> ListenSpec {
    ListenSpec {
        addr: SocketAddr::new(ip, opts.port),
        backlog: opts.backlog.unwrap_or(511),
        reuse_port: opts.reuse_port,
        ipv6_only: opts.ipv6_only,
    }
}

/// The address a listen on a host name binds, of those its lookup answered (Node's
/// `filterOnlyValidAddress`): the first that is not IPv6 link-local (`fe80::/10`, which
/// cannot be bound without a zone), else the first. `ips` is not empty.
fn listen_address(ips: &[IpAddr]) -> IpAddr {
    let link_local =
        |ip: &&IpAddr| matches!(ip, IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfe80);
    ips.iter()
        .find(|ip| !link_local(ip))
        .copied()
        .unwrap_or(ips[0])
}

enum Accepted {
    Stream(io::Stream, ServerOptions, Option<usize>, usize),
    Done,
    Again,
    Exhausted,
    Fail(Error),
}

/// How the loop reaches servers: a listener's event is rare, nothing to prefetch.
static KIND: rt::IoKind = rt::IoKind {
    dispatch,
    prefetch: |_, _| {},
    own_requeue: true,
};

fn dispatch(key: usize, _ready: Ready) {
    Server {
        idx: key as u32,
        gen_: (key >> 32) as u32,
    }
    .on_listener_ready();
}

impl_emitter!(Server);

impl_emits!(Server {
    Connection(Socket) = 0 "connection";
    Listening(()) = 1 "listening";
    Close(()) = 2 "close";
    Error(Error) = 3 "error";
    Drop(DropInfo) = 4 "drop";
});

#[cfg(test)]
mod tests {
    use super::*;

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    // The answers of Node's test-net-server-listen-ipv6-link-local (its lookup mocked):
    // link-local addresses are passed over for the first other one, whatever its family.
    #[test]
    fn a_listen_by_name_passes_over_ipv6_link_local_answers() {
        let pick = |list: &[&str]| listen_address(&ips(list)).to_string();
        assert_eq!(
            pick(&["fe80::1", "febf::abcd:1234", "127.0.0.1"]),
            "127.0.0.1"
        );
        assert_eq!(pick(&["fe80::1", "::1"]), "::1");
        // fec0::/10 is not link-local: taken as it comes.
        assert_eq!(pick(&["fec0::1", "127.0.0.1"]), "fec0::1");
        // Nothing but link-local: the first, whose bind then fails (EINVAL without a zone).
        assert_eq!(pick(&["fe80::1", "fe80::2"]), "fe80::1");
        assert_eq!(pick(&["127.0.0.1", "::1"]), "127.0.0.1");
    }
}
