//! Options for servers, listening, sockets and connecting, with Node's defaults.

use std::net::IpAddr;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use super::BlockList;
use crate::abort::AbortSignal;
use crate::encoding::Encoding;

/// Node 24's default highWaterMark for sockets (64 KiB).
pub const DEFAULT_HIGH_WATER_MARK: usize = 64 * 1024;

/// Options of [`create_server_with`](super::create_server_with), as Node's
/// `net.createServer(options)`.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// Accepted sockets stay writable after the peer ends (default `false`).
    pub allow_half_open: bool,
    /// Accepted sockets start paused, not reading, until `resume()` (default `false`).
    pub pause_on_connect: bool,
    /// Disable Nagle on accepted sockets (default `false`).
    pub no_delay: bool,
    /// Enable keep-alive on accepted sockets (default `false`).
    pub keep_alive: bool,
    /// Keep-alive initial delay in milliseconds (default 0).
    pub keep_alive_initial_delay: u64,
    /// highWaterMark of accepted sockets, both sides (default 64 KiB).
    pub high_water_mark: usize,
    /// Close connections from addresses this list blocks at once, without a `connection`
    /// event (Node's `blockList` option). The list is fixed once given.
    pub block_list: Option<Rc<BlockList>>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            allow_half_open: false,
            pause_on_connect: false,
            no_delay: false,
            keep_alive: false,
            keep_alive_initial_delay: 0,
            high_water_mark: DEFAULT_HIGH_WATER_MARK,
            block_list: None,
        }
    }
}

/// Where and how a server listens, as Node's `server.listen(options)`.
///
/// Made from a port (`3000`), a port and host (`(3000, "127.0.0.1")`), a port, host and
/// backlog, or a Unix path (`ListenOptions::path("/tmp/s.sock")`).
#[derive(Clone, Debug, Default)]
pub struct ListenOptions {
    /// TCP port; 0 lets the system choose.
    pub port: u16,
    /// Host to bind; `None` binds `::` (dual-stack), or `0.0.0.0` without IPv6.
    pub host: Option<String>,
    /// Listen backlog (default 511).
    pub backlog: Option<i32>,
    /// Unix socket path; when set, port and host are ignored.
    pub path: Option<String>,
    /// Set `SO_REUSEPORT`, so several listeners (one per thread) share the port.
    pub reuse_port: bool,
    /// Refuse IPv4 on an IPv6 listener.
    pub ipv6_only: bool,
    /// Listen on a socket the caller already has (Node's `listen({ fd })`): a bound TCP or
    /// Unix stream socket, listening or not. When set, port, host and path are ignored,
    /// as in Node. Made with [`ListenOptions::fd`] or [`ListenFd::new`]; see [`ListenFd`]
    /// for who owns the descriptor.
    pub fd: Option<ListenFd>,
    /// Listen on a [`BoundSocket`](super::BoundSocket) (Node's `server.listen(bound)`),
    /// set by [`ListenOptions::bound`]. When set, port, host, path and fd are ignored.
    /// The server takes the descriptor over when it listens with these options (not
    /// before: a `listen` refused because the server already listens leaves it to the
    /// bound socket); listening with a bound socket adopted or closed meanwhile is
    /// `ERR_SOCKET_HANDLE_ADOPTED` from [`Server::try_listen`](super::Server::try_listen).
    pub handle: Option<super::BoundHandle>,
    /// Unix socket only: make the socket file readable by all users (Node's
    /// `readableAll`). Node 24 sets the file's mode to exactly `r--r--r--` (0o444), or
    /// `rw-rw-rw-` (0o666) with [`writable_all`](ListenOptions::writable_all), whatever
    /// the umask; so does nodenet. An abstract path (a leading `\0`) has no file, and is
    /// refused with `ERR_INVALID_ARG_VALUE`.
    pub readable_all: bool,
    /// Unix socket only: make the socket file writable by all users (Node's
    /// `writableAll`): mode `-w--w--w-` (0o222), or 0o666 with
    /// [`readable_all`](ListenOptions::readable_all). Connecting to a Unix socket needs
    /// write permission, so this is what lets other users connect.
    pub writable_all: bool,
    /// Close the server when this signal aborts (Node's `signal`): as a `close()` call,
    /// with no error. A signal that has already aborted closes it on next tick, before
    /// `listening` would be emitted. The server stops listening to the signal once it
    /// emits `close`.
    pub signal: Option<AbortSignal>,
}

impl ListenOptions {
    /// Listen on a Unix socket path.
    pub fn path(path: impl Into<String>) -> ListenOptions {
        ListenOptions {
            path: Some(path.into()),
            ..Default::default()
        }
    }
    /// Listen on a socket the caller already has (Node's `listen({ fd })`); see
    /// [`ListenFd`] for who owns it.
    ///
    /// ```
    /// use nodenet::net::{self, ListenOptions, events::*};
    ///
    /// let bound = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let port = bound.local_addr()?.port();
    /// nodenet::run(move || {
    ///     let server = net::create_server();
    ///     server.on(Listening, move |_| {
    ///         assert_eq!(server.address().map(|a| a.port()), Some(port));
    ///         server.close();
    ///     });
    ///     server.listen(ListenOptions::fd(bound));
    /// })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fd(fd: impl Into<OwnedFd>) -> ListenOptions {
        ListenOptions {
            fd: Some(ListenFd::new(fd)),
            ..Default::default()
        }
    }

    /// [`ListenOptions::fd`] from a raw descriptor number, as Node takes one; a negative
    /// number is refused by the listen with `ERR_INVALID_ARG_VALUE`, as Node does.
    ///
    /// # Safety
    /// A number `>= 0` must be an open descriptor that the caller owns and hands over:
    /// nothing else may use or close it afterwards.
    pub unsafe fn from_raw_fd(fd: RawFd) -> ListenOptions {
        ListenOptions {
            // SAFETY: the caller's contract is the constructor's.
            fd: Some(unsafe { ListenFd::from_raw_fd(fd) }),
            ..Default::default()
        }
    }
    /// Listen on a [`BoundSocket`](super::BoundSocket): `listening()` is true as soon as
    /// `listen` returns, `listening` follows on next tick, and the server's address is
    /// the bound one. `ERR_SOCKET_HANDLE_ADOPTED` when the bound socket was adopted or
    /// closed already. See [`handle`](ListenOptions::handle).
    ///
    /// ```
    /// use nodenet::net::{self, BoundSocket, BoundSocketOptions, ListenOptions, events::*};
    ///
    /// nodenet::run(|| {
    ///     let bound = BoundSocket::new(BoundSocketOptions::default().host("127.0.0.1"))
    ///         .expect("bind");
    ///     let opts = ListenOptions::bound(&bound).expect("a fresh bound socket");
    ///     bound.close().expect("not adopted yet");
    ///     // Closed before the server could take it.
    ///     let err = net::create_server().try_listen(opts).unwrap_err();
    ///     assert_eq!(err.code(), "ERR_SOCKET_HANDLE_ADOPTED");
    /// })?;
    /// # Ok::<(), nodenet::Error>(())
    /// ```
    pub fn bound(bound: &super::BoundSocket) -> crate::Result<ListenOptions> {
        Ok(ListenOptions {
            handle: Some(bound.handle()?),
            ..Default::default()
        })
    }
    /// Set `SO_REUSEPORT`.
    pub fn reuse_port(mut self, on: bool) -> ListenOptions {
        self.reuse_port = on;
        self
    }
    /// Set [`readable_all`](ListenOptions::readable_all).
    pub fn readable_all(mut self, on: bool) -> ListenOptions {
        self.readable_all = on;
        self
    }
    /// Set [`writable_all`](ListenOptions::writable_all).
    pub fn writable_all(mut self, on: bool) -> ListenOptions {
        self.writable_all = on;
        self
    }
    /// The mode the socket file gets after bind, when one of the `*_all` options is set.
    pub(crate) fn socket_file_mode(&self) -> Option<u32> {
        let mut mode = 0;
        if self.readable_all {
            mode |= 0o444;
        }
        if self.writable_all {
            mode |= 0o222;
        }
        (mode != 0).then_some(mode)
    }
    /// Close the server when `signal` aborts (see [`signal`](ListenOptions::signal)).
    ///
    /// ```
    /// use nodenet::{AbortController, net::{self, events::*, ListenOptions}};
    /// nodenet::run(|| {
    ///     let controller = AbortController::new();
    ///     let opts = ListenOptions::from((0, "127.0.0.1")).signal(controller.signal());
    ///     let server = net::create_server();
    ///     server.on(Listening, move |_| controller.abort());
    ///     server.on(Close, |_| println!("closed by the signal"));
    ///     server.listen(opts);
    /// })?;
    /// # Ok::<(), nodenet::Error>(())
    /// ```
    pub fn signal(mut self, signal: AbortSignal) -> ListenOptions {
        self.signal = Some(signal);
        self
    }
}

impl From<u16> for ListenOptions {
    fn from(port: u16) -> Self {
        ListenOptions {
            port,
            ..Default::default()
        }
    }
}
impl From<(u16, &str)> for ListenOptions {
    fn from((port, host): (u16, &str)) -> Self {
        ListenOptions {
            port,
            host: Some(host.to_string()),
            ..Default::default()
        }
    }
}
impl From<(u16, &str, i32)> for ListenOptions {
    fn from((port, host, backlog): (u16, &str, i32)) -> Self {
        ListenOptions {
            port,
            host: Some(host.to_string()),
            backlog: Some(backlog),
            ..Default::default()
        }
    }
}

/// A descriptor handed to a listen ([`ListenOptions::fd`]), owned until a listen takes it.
///
/// Ownership, the Rust way rather than Node's (where the number stays the caller's): the
/// descriptor is given up when the `ListenFd` is made, and the first listen that uses it
/// takes it over. A TCP or Unix stream socket becomes the server's listener, closed on
/// `close()` (nodenet never removes a socket file it did not create). Anything else is
/// refused with an `error` event on next tick, as Node does (ENOTSOCK for a FIFO, EINVAL
/// for a file, a datagram socket or a closed descriptor), and closed then, since it was
/// given. Clones share the one descriptor: a second listen with it finds it taken and
/// fails with EBADF. A `ListenFd` no listen took closes the descriptor when the last clone
/// is dropped.
#[derive(Clone)]
pub struct ListenFd {
    fd: Arc<Mutex<Option<OwnedFd>>>,
    /// The number, for `Debug` and for Node's check of a negative one.
    raw: RawFd,
}

impl ListenFd {
    /// Take `fd` over (an `OwnedFd`, or anything that converts to one:
    /// `std::net::TcpListener`, `std::os::unix::net::UnixListener`, a socket2 socket...).
    pub fn new(fd: impl Into<OwnedFd>) -> ListenFd {
        let fd = fd.into();
        ListenFd {
            raw: fd.as_raw_fd(),
            fd: Arc::new(Mutex::new(Some(fd))),
        }
    }

    /// A raw descriptor number, as Node takes one; a negative number holds no descriptor
    /// and makes the listen fail with `ERR_INVALID_ARG_VALUE`.
    ///
    /// # Safety
    /// A number `>= 0` must be an open descriptor that the caller owns and hands over:
    /// nothing else may use or close it afterwards.
    pub unsafe fn from_raw_fd(fd: RawFd) -> ListenFd {
        // SAFETY: the caller hands over an open descriptor it owns.
        let owned = (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd) });
        ListenFd {
            fd: Arc::new(Mutex::new(owned)),
            raw: fd,
        }
    }

    /// The descriptor's number.
    pub fn as_raw(&self) -> RawFd {
        self.raw
    }

    /// The descriptor, for the listen that uses it; `None` once taken (or never held).
    pub(crate) fn take(&self) -> Option<OwnedFd> {
        self.fd.lock().ok().and_then(|mut g| g.take())
    }
}

impl std::fmt::Debug for ListenFd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ListenFd").field(&self.raw).finish()
    }
}

/// Options of a new socket, as Node's `new net.Socket(options)`.
#[derive(Clone, Debug)]
pub struct SocketOptions {
    /// Stay writable after the peer ends (default `false`).
    pub allow_half_open: bool,
    /// highWaterMark of both sides (default 64 KiB).
    pub high_water_mark: usize,
    /// IP type of service (IPv6 traffic class) to set once connected (Node 24's
    /// `typeOfService`); see [`Socket::set_type_of_service`](super::Socket::set_type_of_service).
    pub type_of_service: Option<u8>,
    /// Destroy the socket with an `AbortError` when this signal aborts (Node's `signal`):
    /// `error` (code `ABORT_ERR`, its `cause` the signal's reason) on next tick, then
    /// `close(true)`. A signal that has already aborted destroys the socket as it is made
    /// (see [`Socket::new`](super::Socket::new)). The socket stops listening to the
    /// signal once destroyed, so an abort after that does nothing.
    pub signal: Option<AbortSignal>,
    /// Read into a buffer of the caller's size and hand each read to a callback instead
    /// of emitting `data` (Node's `onread`); see [`OnRead`]. The socket lets go of it
    /// when destroyed: reconnected from its `close` listener, it reads as a plain socket
    /// (Node keeps the buffer; a documented difference).
    pub onread: Option<OnRead>,
    /// The encoding of strings written without one (Node's `defaultEncoding` option; UTF-8
    /// by default): see [`Socket::set_default_encoding`](super::Socket::set_default_encoding).
    pub default_encoding: Encoding,
}

impl Default for SocketOptions {
    fn default() -> Self {
        SocketOptions {
            allow_half_open: false,
            high_water_mark: DEFAULT_HIGH_WATER_MARK,
            type_of_service: None,
            signal: None,
            onread: None,
            default_encoding: Encoding::Utf8,
        }
    }
}

/// Keep-alive settings of [`Socket::set_keep_alive_with`](super::Socket::set_keep_alive_with),
/// as Node 24's `socket.setKeepAlive({ enable, initialDelay, interval, count })`.
///
/// Times are in milliseconds and reach the kernel in whole seconds (truncated). When
/// enabled, the idle time, the interval and the count go to the kernel only if each is at
/// least one (second, or probe); otherwise only `SO_KEEPALIVE` is set and the system's
/// defaults stay, as in Node.
///
/// ```
/// use nodenet::net::KeepAlive;
/// let k = KeepAlive { enable: true, initial_delay: 30_000, ..KeepAlive::default() };
/// assert_eq!((k.interval, k.count), (1000, 10));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeepAlive {
    /// Turn keep-alive on (`true`) or off (default `false`).
    pub enable: bool,
    /// Idle time before the first probe, in ms (default 0: the system's default).
    pub initial_delay: u64,
    /// Time between probes, in ms (default 1000, Node's).
    pub interval: u64,
    /// Unanswered probes before the connection is dropped (default 10, Node's).
    pub count: u32,
}

impl Default for KeepAlive {
    fn default() -> Self {
        KeepAlive {
            enable: false,
            initial_delay: 0,
            interval: 1000,
            count: 10,
        }
    }
}

impl KeepAlive {
    /// Node's two-argument form, `setKeepAlive(enable, initialDelay)`: the interval and
    /// count keep their defaults.
    pub fn new(enable: bool, initial_delay: u64) -> KeepAlive {
        KeepAlive {
            enable,
            initial_delay,
            ..KeepAlive::default()
        }
    }

    /// What the kernel gets: `None` when disabled.
    pub(crate) fn secs(self) -> Option<crate::io::KeepAliveSecs> {
        let secs = |ms: u64| u32::try_from(ms / 1000).unwrap_or(u32::MAX);
        self.enable.then(|| crate::io::KeepAliveSecs {
            idle: secs(self.initial_delay),
            interval: secs(self.interval),
            count: self.count,
        })
    }
}

/// Where and how to connect, as Node's `net.connect(options)`.
///
/// Made from a port (host `localhost`), `(port, host)`, or a Unix path
/// (`ConnectOptions::path(..)`).
#[derive(Clone, Debug)]
pub struct ConnectOptions {
    /// Port to connect to.
    pub port: u16,
    /// Host name or IP (default `localhost`).
    pub host: String,
    /// Unix socket path; when set, port and host are ignored.
    pub path: Option<String>,
    /// Address family for the lookup: 0 (both), 4 or 6.
    pub family: u8,
    /// Local address to bind before connecting.
    pub local_address: Option<String>,
    /// Local port to bind before connecting.
    pub local_port: Option<u16>,
    /// Stay writable after the peer ends.
    pub allow_half_open: bool,
    /// Disable Nagle once connected.
    pub no_delay: bool,
    /// Enable keep-alive once connected.
    pub keep_alive: bool,
    /// Keep-alive initial delay in milliseconds.
    pub keep_alive_initial_delay: u64,
    /// IP type of service (IPv6 traffic class) to set once connected (Node 24's
    /// `typeOfService`); see [`Socket::set_type_of_service`](super::Socket::set_type_of_service).
    pub type_of_service: Option<u8>,
    /// Idle timeout in milliseconds (calls `set_timeout` before connecting).
    pub timeout: Option<u64>,
    /// Try every address of a host name, interleaving families (happy eyeballs): repeats
    /// are dropped, and the rest tried alternating IPv6 and IPv4, starting with the first
    /// answer's family; one distinct address left is a plain connect. The default is
    /// [`get_default_auto_select_family`](super::get_default_auto_select_family) at the
    /// time the options are made (`true` unless changed).
    pub auto_select_family: bool,
    /// Time each attempt gets before the next starts, in milliseconds (minimum 10): an
    /// attempt that runs out emits `connectionAttemptTimeout` and counts as ETIMEDOUT in
    /// the aggregate error; the last attempt has no such limit. The default is
    /// [`get_default_auto_select_family_attempt_timeout`](super::get_default_auto_select_family_attempt_timeout)
    /// at the time the options are made (250 unless changed).
    pub auto_select_family_attempt_timeout: u64,
    /// highWaterMark of both sides (default 64 KiB).
    pub high_water_mark: usize,
    /// A resolver to use instead of the system's (Node's `lookup` option): given the host
    /// and the family (0, 4 or 6), the addresses in the order to try.
    pub lookup: Option<Resolver>,
    /// Refuse to connect to addresses this list blocks: `error` ERR_IP_BLOCKED then
    /// `close(true)` (Node's `blockList` option).
    pub block_list: Option<Rc<BlockList>>,
    /// Destroy the socket with an `AbortError` when this signal aborts, as
    /// [`SocketOptions::signal`]. As in Node, only [`net::connect`](super::connect)
    /// (which makes the socket) takes it: [`Socket::connect`](super::Socket::connect) on
    /// an existing socket ignores it.
    pub signal: Option<AbortSignal>,
    /// Hand reads to a callback instead of `data` events (Node's `onread`), as
    /// [`SocketOptions::onread`]. Only [`net::connect`](super::connect), which makes the
    /// socket, takes it (in Node too, `onread` is an option of the new socket).
    pub onread: Option<OnRead>,
    /// The encoding of strings written without one, as [`SocketOptions::default_encoding`].
    /// Only [`net::connect`](super::connect), which makes the socket, takes it.
    pub default_encoding: Encoding,
}

/// A user resolver for [`ConnectOptions::lookup`] (Node's `lookup` option), in one of two
/// forms: [`new`](Resolver::new) answers when asked, and nodenet delivers the answer on a
/// later turn of the loop; [`with_callback`](Resolver::with_callback) answers through a
/// [`LookupCallback`], at once or later, as Node's `lookup(host, options, callback)` does.
#[derive(Clone)]
pub struct Resolver(pub(crate) Rc<Lookup>);

/// The two forms of [`Resolver`].
pub(crate) enum Lookup {
    /// Answers when asked.
    Now(Box<ResolveFn>),
    /// Answers through its callback.
    Callback(Box<CallbackResolveFn>),
}

/// The function behind a [`Resolver::new`]: host and family in, addresses out.
pub type ResolveFn = dyn Fn(&str, u8) -> Result<Vec<IpAddr>, crate::Error>;

/// The function behind a [`Resolver::with_callback`]: host and family in, and the callback
/// to answer with.
pub type CallbackResolveFn = dyn Fn(&str, u8, LookupCallback);

impl Resolver {
    /// A resolver that answers when asked: given the host and the family (0, 4 or 6), the
    /// addresses in the order to try, or the error to fail the connect with. It is asked on
    /// the loop's thread, on a turn after the `connect` call, and its answer is delivered
    /// there and then (Node's lookup callback, called asynchronously).
    pub fn new(f: impl Fn(&str, u8) -> Result<Vec<IpAddr>, crate::Error> + 'static) -> Resolver {
        Resolver(Rc::new(Lookup::Now(Box::new(f))))
    }

    /// A resolver that answers through a callback, as Node's `lookup` function does: it is
    /// called inside `connect` with the host, the family (0, 4 or 6) and a
    /// [`LookupCallback`] to answer with, at once or on any later turn of the loop (from a
    /// timer, say). A callback answered inside the call is Node's synchronous callback:
    /// the `lookup` event and the connect's first steps come before `connect` returns,
    /// before listeners added after it. While the callback is out the connect keeps the
    /// loop alive no more than Node's does: with nothing else to wait for, `run` returns
    /// with the socket still connecting. A callback dropped unanswered leaves the socket
    /// connecting, as a Node lookup that never calls back does; its idle timeout still
    /// fires and `destroy` ends it.
    ///
    /// ```
    /// use nodenet::net::{self, events::*, ConnectOptions, Resolver};
    /// nodenet::run(|| {
    ///     let server = net::create_server();
    ///     server.on(Connection, |s| { s.end_with("hi"); });
    ///     server.on(Listening, move |_| {
    ///         let port = server.address().unwrap().port();
    ///         // Answers 10 ms later, from a timer.
    ///         let lookup = Resolver::with_callback(|_host, _family, callback| {
    ///             nodenet::set_timeout(10, move || {
    ///                 callback.answer(Ok(vec![std::net::Ipv4Addr::LOCALHOST.into()]))
    ///             });
    ///         });
    ///         let c = net::connect(ConnectOptions {
    ///             port,
    ///             host: "example.test".into(),
    ///             lookup: Some(lookup),
    ///             ..Default::default()
    ///         });
    ///         c.on(Data, move |d| {
    ///             assert_eq!(d.as_bytes(), b"hi");
    ///             server.close();
    ///         });
    ///     });
    ///     server.listen((0, "127.0.0.1"));
    /// })
    /// .unwrap();
    /// ```
    pub fn with_callback(f: impl Fn(&str, u8, LookupCallback) + 'static) -> Resolver {
        Resolver(Rc::new(Lookup::Callback(Box::new(f))))
    }
}

/// The callback a [`Resolver::with_callback`] answers through: Node's lookup callback.
/// Answer once with [`answer`](LookupCallback::answer), on the loop's thread; a socket
/// destroyed meanwhile takes the answer as Node does (a plain connect still emits its
/// `lookup` event, and goes no further).
pub struct LookupCallback {
    pub(crate) socket: super::Socket,
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) answered: bool,
}

impl LookupCallback {
    /// Answer the lookup: the addresses in the order to try, or the error to fail the
    /// connect with (an empty list fails it with ENOTFOUND).
    pub fn answer(mut self, addresses: Result<Vec<IpAddr>, crate::Error>) {
        self.answered = true;
        let host = std::mem::take(&mut self.host);
        self.socket.lookup_answered(host, self.port, addresses);
    }
}

impl Drop for LookupCallback {
    fn drop(&mut self) {
        if !self.answered {
            self.socket.lookup_abandoned();
        }
    }
}

impl std::fmt::Debug for LookupCallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LookupCallback")
            .field("host", &self.host)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Resolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Resolver(..)")
    }
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            port: 0,
            host: "localhost".into(),
            path: None,
            family: 0,
            local_address: None,
            local_port: None,
            allow_half_open: false,
            no_delay: false,
            keep_alive: false,
            keep_alive_initial_delay: 0,
            type_of_service: None,
            timeout: None,
            auto_select_family: super::get_default_auto_select_family(),
            auto_select_family_attempt_timeout: u64::from(
                super::get_default_auto_select_family_attempt_timeout(),
            ),
            high_water_mark: DEFAULT_HIGH_WATER_MARK,
            lookup: None,
            block_list: None,
            signal: None,
            onread: None,
            default_encoding: Encoding::Utf8,
        }
    }
}

impl ConnectOptions {
    /// Connect to a Unix socket path.
    pub fn path(path: impl Into<String>) -> ConnectOptions {
        ConnectOptions {
            path: Some(path.into()),
            ..Default::default()
        }
    }
    /// Destroy the socket with an `AbortError` when `signal` aborts (see
    /// [`signal`](ConnectOptions::signal)).
    ///
    /// ```
    /// use nodenet::{AbortController, net::{self, events::*, ConnectOptions}};
    /// nodenet::run(|| {
    ///     let controller = AbortController::new();
    ///     let server = net::create_server();
    ///     server.on(Listening, move |_| {
    ///         let port = server.address().unwrap().port();
    ///         let opts = ConnectOptions::from((port, "127.0.0.1")).signal(controller.signal());
    ///         let client = net::connect(opts);
    ///         client.on(Error, |e| assert_eq!((e.code(), e.name()), ("ABORT_ERR", "AbortError")));
    ///         client.on(Close, move |had_error| {
    ///             assert!(had_error);
    ///             server.close();
    ///         });
    ///         controller.abort();
    ///     });
    ///     server.listen((0, "127.0.0.1"));
    /// })?;
    /// # Ok::<(), nodenet::Error>(())
    /// ```
    pub fn signal(mut self, signal: AbortSignal) -> ConnectOptions {
        self.signal = Some(signal);
        self
    }
}

impl From<u16> for ConnectOptions {
    fn from(port: u16) -> Self {
        ConnectOptions {
            port,
            ..Default::default()
        }
    }
}
impl From<(u16, &str)> for ConnectOptions {
    fn from((port, host): (u16, &str)) -> Self {
        ConnectOptions {
            port,
            host: host.to_string(),
            ..Default::default()
        }
    }
}
impl From<(u16, String)> for ConnectOptions {
    fn from((port, host): (u16, String)) -> Self {
        ConnectOptions {
            port,
            host,
            ..Default::default()
        }
    }
}

/// The callback of an [`OnRead`] made with [`OnRead::new`]: the socket, the count read,
/// and the whole buffer, lent for the call (the bytes read are its first `nread`); `false`
/// stops reading, as Node's `return false`.
pub type OnReadFn = dyn FnMut(super::Socket, usize, &mut [u8]) -> bool;

/// The callback of an [`OnRead`] made with [`OnRead::with_buffer_fn`]: the socket, the
/// count read, and the buffer itself, given away (the bytes read are its first `nread`);
/// `false` stops reading, as with [`OnReadFn`].
pub type OnReadOwnedFn = dyn FnMut(super::Socket, usize, Vec<u8>) -> bool;

/// The buffer maker of [`OnRead::with_buffer_fn`]: each call returns the buffer the
/// socket's next read goes into (its length is the most that read takes).
pub type BufferFn = dyn Fn() -> Vec<u8>;

/// Node's `onread: { buffer, callback }`: the socket reads into a buffer of the caller's,
/// at most the buffer's length per read (as libuv reads into the user's buffer), and calls
/// the callback with the count and the buffer, in place of `data` events.
///
/// Two forms, as Node's `buffer` is a buffer or a function:
/// - [`OnRead::new`]: one buffer, owned by the socket for its life and lent to the
///   callback at each call, every read landing in it (Node's static buffer);
/// - [`OnRead::with_buffer_fn`]: a function that makes the buffer for the next read. As
///   in Node 24, the socket calls it once when its handle is made (in
///   [`connect`](super::Socket::connect) for a new socket, even one whose address
///   options it then refuses, as Node makes the handle before it checks them; again for
///   each further address happy eyeballs tries; at once in [`Socket::from_fd`](super::Socket::from_fd)
///   and [`Socket::from_bound`](super::Socket::from_bound)), then once after every
///   callback, even one that returned `false` or destroyed the socket. The callback is
///   given the buffer itself (a `Vec<u8>`, with the bytes read at its start), so it can
///   keep it, or hand it back to a pool the function takes from: no copy either way.
///
/// As in Node: `data` is never emitted, even with a `data` listener (nor does
/// [`set_encoding`](super::Socket::set_encoding) change what the callback gets);
/// `end` and `close` come as usual once the peer's FIN is read, after the last
/// callback. A callback returning `false` stops reading the kernel until
/// [`resume`](super::Socket::resume) (Node's `readStop`: `isPaused()` stays as it was),
/// and [`pause`](super::Socket::pause), in the callback or out of it, stops it too; what
/// the kernel holds then stays there (TCP flow control pushes back on the peer), and is
/// read, in order, after `resume()`. A read into a buffer of length 0 (a static one, or
/// one the function returned) fails with ENOBUFS (libuv's answer), which destroys the
/// socket: `error`, then `close(true)`, and no `end`.
///
/// Why this shape, and not Node's (a buffer object shared with the caller, a `this`):
/// in Rust the socket owns the buffer while the kernel writes into it (a `Vec<u8>` of the
/// caller's size, so reads never allocate and no one else can touch it), and either lends
/// it to the callback as `&mut [u8]` for the call (the static form, which is all the
/// sharing Node's API lets the caller rely on) or gives it away (the function form, where
/// Node's caller may keep each buffer). The socket comes as an argument, since a closure
/// given to [`net::connect`](super::connect) cannot capture the socket the call makes. The
/// callbacks are shared through `Rc` so the options stay `Clone` (a clone shares them, as
/// sockets made from one options object share Node's functions; each socket gets its own
/// copy of a static buffer).
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use nodenet::net::{self, events::*, ConnectOptions, OnRead};
/// nodenet::run(|| {
///     let server = net::create_server();
///     server.on(Connection, move |s| {
///         s.end_with("hello world");
///         server.close();
///     });
///     server.on(Listening, move |_| {
///         let port = server.address().unwrap().port();
///         let got = Rc::new(RefCell::new(Vec::new()));
///         let sink = got.clone();
///         let mut opts = ConnectOptions::from((port, "127.0.0.1"));
///         opts.onread = Some(OnRead::new(vec![0; 8], move |_socket, n, buf| {
///             assert!(n <= 8);
///             sink.borrow_mut().extend_from_slice(&buf[..n]);
///             true
///         }));
///         let client = net::connect(opts);
///         client.on(End, move |_| assert_eq!(&got.borrow()[..], b"hello world"));
///     });
///     server.listen((0, "127.0.0.1"));
/// })?;
/// # Ok::<(), nodenet::Error>(())
/// ```
#[derive(Clone)]
pub struct OnRead {
    /// The static buffer; for the function form, the buffer the function last made (empty
    /// in the options, before a socket asked for one).
    pub(crate) buffer: Vec<u8>,
    pub(crate) callback: OnReadCallback,
}

/// The callback of an [`OnRead`], and for the function form, its buffer maker.
#[derive(Clone)]
pub(crate) enum OnReadCallback {
    /// [`OnRead::new`]: the buffer is lent to the callback.
    Lent(Rc<std::cell::RefCell<Box<OnReadFn>>>),
    /// [`OnRead::with_buffer_fn`]: the buffer is given to the callback, and `make` makes
    /// the next one.
    Owned {
        make: Rc<BufferFn>,
        callback: Rc<std::cell::RefCell<Box<OnReadOwnedFn>>>,
    },
}

impl OnReadCallback {
    /// Whether the callback is running now (a callback shared by several sockets, on the
    /// stack for one of them).
    pub(crate) fn is_running(&self) -> bool {
        match self {
            OnReadCallback::Lent(f) => f.try_borrow_mut().is_err(),
            OnReadCallback::Owned { callback, .. } => callback.try_borrow_mut().is_err(),
        }
    }

    /// The buffer maker, for the function form.
    pub(crate) fn maker(&self) -> Option<Rc<BufferFn>> {
        match self {
            OnReadCallback::Lent(_) => None,
            OnReadCallback::Owned { make, .. } => Some(make.clone()),
        }
    }
}

impl OnRead {
    /// Read into `buffer` (each read asks for at most its length) and call `callback`
    /// with the socket, the count read and the buffer.
    pub fn new(
        buffer: Vec<u8>,
        callback: impl FnMut(super::Socket, usize, &mut [u8]) -> bool + 'static,
    ) -> OnRead {
        OnRead {
            buffer,
            callback: OnReadCallback::Lent(Rc::new(std::cell::RefCell::new(Box::new(callback)))),
        }
    }

    /// Read each time into a buffer `make` returns (Node's `buffer` given as a function),
    /// and call `callback` with the socket, the count read and that buffer, which the
    /// callback keeps. `make` is called when the socket's handle is made and after every
    /// callback (see [`OnRead`]); an empty buffer fails the read it was made for with
    /// ENOBUFS.
    ///
    /// ```
    /// use std::{cell::RefCell, rc::Rc};
    /// use nodenet::net::{self, events::*, ConnectOptions, OnRead};
    /// nodenet::run(|| {
    ///     let server = net::create_server();
    ///     server.on(Connection, move |s| {
    ///         s.end_with("hello world");
    ///         server.close();
    ///     });
    ///     server.on(Listening, move |_| {
    ///         let port = server.address().unwrap().port();
    ///         // Buffers go round: the callback keeps the bytes, then returns the buffer.
    ///         let pool = Rc::new(RefCell::new(Vec::<Vec<u8>>::new()));
    ///         let (take, give) = (pool.clone(), pool.clone());
    ///         let got = Rc::new(RefCell::new(Vec::new()));
    ///         let sink = got.clone();
    ///         let onread = OnRead::with_buffer_fn(
    ///             move || take.borrow_mut().pop().unwrap_or_else(|| vec![0; 4]),
    ///             move |_socket, n, buf| {
    ///                 sink.borrow_mut().extend_from_slice(&buf[..n]);
    ///                 give.borrow_mut().push(buf);
    ///                 true
    ///             },
    ///         );
    ///         let client = net::connect(ConnectOptions {
    ///             onread: Some(onread),
    ///             ..(port, "127.0.0.1").into()
    ///         });
    ///         client.on(End, move |_| assert_eq!(&got.borrow()[..], b"hello world"));
    ///     });
    ///     server.listen((0, "127.0.0.1"));
    /// })?;
    /// # Ok::<(), nodenet::Error>(())
    /// ```
    pub fn with_buffer_fn(
        make: impl Fn() -> Vec<u8> + 'static,
        callback: impl FnMut(super::Socket, usize, Vec<u8>) -> bool + 'static,
    ) -> OnRead {
        OnRead {
            buffer: Vec::new(),
            callback: OnReadCallback::Owned {
                make: Rc::new(make),
                callback: Rc::new(std::cell::RefCell::new(Box::new(callback))),
            },
        }
    }

    /// Whether the buffers come from a function ([`OnRead::with_buffer_fn`]) rather than
    /// being one static buffer ([`OnRead::new`]).
    pub fn has_buffer_fn(&self) -> bool {
        matches!(self.callback, OnReadCallback::Owned { .. })
    }

    /// The static buffer's length: the most one read takes. 0 for the function form,
    /// which has no buffer until a socket asks the function for one.
    pub fn len(&self) -> usize {
        self.buffer.len()
    }

    /// Whether [`len`](OnRead::len) is 0: for the static form, the socket then fails its
    /// first read with ENOBUFS; the function form is always empty here (see
    /// [`has_buffer_fn`](OnRead::has_buffer_fn)).
    pub fn is_empty(&self) -> bool {
        self.buffer.is_empty()
    }
}

impl std::fmt::Debug for OnRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnRead")
            .field("buffer_len", &self.buffer.len())
            .field("buffer_fn", &self.has_buffer_fn())
            .finish_non_exhaustive()
    }
}
