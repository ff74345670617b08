//! The OS seam: the only module that names mio, socket2 and libc socket calls.
//!
//! Listeners are made with socket2 so the options Node sets can be applied before `bind`
//! (`SO_REUSEADDR` always, `SO_REUSEPORT` on request, `IPV6_V6ONLY`, backlog 511). Writes
//! go through `sendmsg(MSG_NOSIGNAL)`: a plain `writev` to a peer that is gone raises
//! SIGPIPE, which would kill the process.

use std::io::{self, IoSlice};
use std::net::{IpAddr, SocketAddr};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

use mio::net::{TcpListener, TcpStream, UnixListener, UnixStream};
use socket2::{Domain, Protocol, SockAddr, Socket, Type};

/// A connected byte stream: TCP or Unix.
pub(crate) enum Stream {
    Tcp(TcpStream),
    Unix(UnixStream),
}

/// A listening socket: TCP or Unix. A Unix listener carries the path it bound, which it
/// removes when dropped; one made from a descriptor the user gave has none (nodenet did not
/// create the file, so it leaves it alone, as libuv does).
pub(crate) enum Listener {
    Tcp(TcpListener),
    Unix(UnixListener, Option<String>),
}

/// The most one read asks the kernel for.
pub(crate) const READ_SIZE: usize = 64 * 1024;

/// The most buffers one `sendmsg` takes (Linux's IOV_MAX).
pub(crate) const IOV_MAX: usize = 1024;

/// The most bytes one read or write moves on Linux (`MAX_RW_COUNT`: `INT_MAX` rounded
/// down to a page); a larger offer is cut to it, not refused.
pub(crate) const MAX_RW_COUNT: usize = 0x7fff_f000;

impl Stream {
    pub fn fd(&self) -> RawFd {
        match self {
            Stream::Tcp(s) => s.as_raw_fd(),
            Stream::Unix(s) => s.as_raw_fd(),
        }
    }

    pub fn source(&mut self) -> &mut dyn mio::event::Source {
        match self {
            Stream::Tcp(s) => s,
            Stream::Unix(s) => s,
        }
    }

    /// Read at most `max` bytes into `buf`'s spare capacity (appended after its contents),
    /// growing it if needed; no byte of `buf` is initialised twice.
    #[inline(always)]
    pub fn read_buf(&mut self, buf: &mut bytes::BytesMut, max: usize) -> io::Result<usize> {
        use bytes::BufMut;
        buf.reserve(max);
        let spare = buf.chunk_mut();
        let len = spare.len().min(max);
        let ptr = spare.as_mut_ptr();
        let fd = self.fd();
        // SAFETY: `ptr` points at `len` bytes of `buf`'s spare capacity, which read(2)
        // may write; nothing else aliases them during the call.
        let n = retry(|| unsafe { libc::read(fd, ptr.cast(), len) })?;
        // SAFETY: the kernel initialised the first `n` spare bytes.
        unsafe { buf.advance_mut(n) };
        Ok(n)
    }

    /// Read at most `len` bytes to `ptr` (retried on `EINTR`).
    ///
    /// # Safety
    /// `ptr` points at `len` writable bytes that nothing else reads or writes during the
    /// call.
    #[inline(always)]
    pub unsafe fn read_raw(&self, ptr: *mut u8, len: usize) -> io::Result<usize> {
        let fd = self.fd();
        // SAFETY: the caller's contract.
        retry(|| unsafe { libc::read(fd, ptr.cast(), len) })
    }

    /// Write as much of `bufs` as the kernel takes now, without SIGPIPE.
    #[inline(always)]
    pub fn send_vectored(&self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        send_vectored(self.fd(), bufs)
    }

    /// Half-close: send FIN.
    pub fn shutdown_write(&self) -> io::Result<()> {
        match self {
            Stream::Tcp(s) => s.shutdown(std::net::Shutdown::Write),
            Stream::Unix(s) => s.shutdown(std::net::Shutdown::Write),
        }
    }

    /// The pending socket error (`SO_ERROR`), used to learn how a connect ended.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        match self {
            Stream::Tcp(s) => s.take_error(),
            Stream::Unix(s) => s.take_error(),
        }
    }

    /// Whether a non-blocking connect has completed.
    pub fn is_connected(&self) -> io::Result<bool> {
        let r = match self {
            Stream::Tcp(s) => s.peer_addr().map(|_| ()),
            Stream::Unix(s) => s.peer_addr().map(|_| ()),
        };
        match r {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotConnected => Ok(false),
            Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => Ok(false),
            Err(e) => Err(e),
        }
    }

    pub fn local_addr(&self) -> Option<SocketAddr> {
        match self {
            Stream::Tcp(s) => s.local_addr().ok(),
            Stream::Unix(_) => None,
        }
    }

    pub fn peer_addr(&self) -> Option<SocketAddr> {
        match self {
            Stream::Tcp(s) => s.peer_addr().ok(),
            Stream::Unix(_) => None,
        }
    }

    pub fn set_nodelay(&self, on: bool) -> io::Result<()> {
        match self {
            Stream::Tcp(s) => s.set_nodelay(on),
            Stream::Unix(_) => Ok(()),
        }
    }

    /// Keep-alive as libuv sets it: `SO_KEEPALIVE`, then, when on and each of the idle
    /// time, the probe interval (both in seconds) and the probe count is at least 1, the
    /// three TCP options in that order, stopping at the first the kernel refuses. A zero
    /// among them leaves the system's defaults (libuv's `EINVAL`, which Node ignores).
    pub fn set_keepalive(&self, on: bool, k: KeepAliveSecs) -> io::Result<()> {
        let Stream::Tcp(s) = self else { return Ok(()) };
        let sock = socket2::SockRef::from(s);
        sock.set_keepalive(on)?;
        if on && k.idle > 0 && k.interval > 0 && k.count > 0 {
            let fd = s.as_raw_fd();
            setsockopt_int(fd, libc::IPPROTO_TCP, libc::TCP_KEEPIDLE, k.idle)?;
            setsockopt_int(fd, libc::IPPROTO_TCP, libc::TCP_KEEPINTVL, k.interval)?;
            setsockopt_int(fd, libc::IPPROTO_TCP, libc::TCP_KEEPCNT, k.count)?;
        }
        Ok(())
    }

    /// The IP type of service (`IP_TOS`) or, on an IPv6 socket, the traffic class
    /// (`IPV6_TCLASS`); `None` for a Unix stream, which has neither.
    pub fn type_of_service(&self) -> Option<io::Result<u8>> {
        let Stream::Tcp(s) = self else { return None };
        let (level, name) = tos_option(s);
        Some(getsockopt_int(s.as_raw_fd(), level, name).map(|v| v as u8))
    }

    /// Set what [`type_of_service`](Self::type_of_service) reads; `None` for a Unix stream.
    pub fn set_type_of_service(&self, tos: u8) -> Option<io::Result<()>> {
        let Stream::Tcp(s) = self else { return None };
        let (level, name) = tos_option(s);
        Some(setsockopt_int(s.as_raw_fd(), level, name, u32::from(tos)))
    }

    /// Linger 0, so that closing sends RST (Node's `resetAndDestroy`).
    pub fn set_linger_zero(&self) -> io::Result<()> {
        let Stream::Tcp(s) = self else { return Ok(()) };
        socket2::SockRef::from(s).set_linger(Some(std::time::Duration::ZERO))
    }
}

/// Keep-alive timing in whole seconds, with the probe count: what
/// [`Stream::set_keepalive`] hands the kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeepAliveSecs {
    /// Idle time before the first probe (`TCP_KEEPIDLE`).
    pub idle: u32,
    /// Time between probes (`TCP_KEEPINTVL`).
    pub interval: u32,
    /// Unanswered probes before the connection is dropped (`TCP_KEEPCNT`).
    pub count: u32,
}

impl KeepAliveSecs {
    /// What a disabled keep-alive passes (only `SO_KEEPALIVE` off is set).
    pub const OFF: KeepAliveSecs = KeepAliveSecs {
        idle: 0,
        interval: 0,
        count: 0,
    };
}

/// The option that carries the type of service on `s`: the IPv6 traffic class on an IPv6
/// socket (an IPv4-mapped peer included, as the socket is IPv6), else `IP_TOS`.
fn tos_option(s: &mio::net::TcpStream) -> (libc::c_int, libc::c_int) {
    match s.local_addr() {
        Ok(a) if a.is_ipv6() => (libc::IPPROTO_IPV6, libc::IPV6_TCLASS),
        _ => (libc::IPPROTO_IP, libc::IP_TOS),
    }
}

/// `getsockopt` of an int-valued option.
pub(crate) fn getsockopt_int(fd: RawFd, level: libc::c_int, name: libc::c_int) -> io::Result<i32> {
    let mut v: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `v` and `len` are valid for writes and sized for an int option.
    let r = unsafe {
        libc::getsockopt(
            fd,
            level,
            name,
            (&mut v as *mut libc::c_int).cast(),
            &mut len,
        )
    };
    if r == 0 {
        Ok(v)
    } else {
        Err(io::Error::last_os_error())
    }
}

/// `setsockopt` of an int-valued option.
fn setsockopt_int(fd: RawFd, level: libc::c_int, name: libc::c_int, v: u32) -> io::Result<()> {
    let v = libc::c_int::try_from(v).unwrap_or(libc::c_int::MAX);
    // SAFETY: `v` lives across the call and the length is an int's.
    let r = unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            (&v as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// `sendmsg` with `MSG_NOSIGNAL` over `bufs`.
#[inline(always)]
pub(crate) fn send_vectored(fd: RawFd, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
    if let [one] = bufs {
        // One buffer: send(2) spares the kernel the msghdr and iovec import.
        // SAFETY: `one` is a valid slice for the duration of the call.
        return retry(|| unsafe {
            libc::send(fd, one.as_ptr().cast(), one.len(), libc::MSG_NOSIGNAL)
        });
    }
    let n = bufs.len().min(IOV_MAX);
    // SAFETY: msghdr is plain data; zeroed is a valid empty header.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    // IoSlice is guaranteed ABI-compatible with iovec on Unix.
    msg.msg_iov = bufs.as_ptr() as *mut libc::iovec;
    msg.msg_iovlen = n as _;
    // SAFETY: `msg` points at `n` valid iovecs borrowed from `bufs` for this call.
    retry(|| unsafe { libc::sendmsg(fd, &msg, libc::MSG_NOSIGNAL) })
}

/// Run a byte-count syscall, again on EINTR; a negative result is the errno's error.
fn retry(mut call: impl FnMut() -> isize) -> io::Result<usize> {
    loop {
        let r = call();
        if r >= 0 {
            return Ok(r as usize);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

impl Listener {
    pub fn source(&mut self) -> &mut dyn mio::event::Source {
        match self {
            Listener::Tcp(l) => l,
            Listener::Unix(l, _) => l,
        }
    }

    /// Accept one connection.
    pub fn accept(&self) -> io::Result<Stream> {
        match self {
            Listener::Tcp(l) => l.accept().map(|(s, _)| Stream::Tcp(s)),
            Listener::Unix(l, _) => l.accept().map(|(s, _)| Stream::Unix(s)),
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        // Node removes the socket file of a Unix listener when it closes.
        if let Listener::Unix(_, Some(path)) = self {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Options applied to a TCP listener before bind.
pub(crate) struct ListenSpec {
    pub addr: SocketAddr,
    pub backlog: i32,
    pub reuse_port: bool,
    pub ipv6_only: bool,
}

/// A non-blocking, close-on-exec TCP socket of `addr`'s family.
fn tcp_socket(addr: SocketAddr) -> io::Result<Socket> {
    let domain = if addr.is_ipv6() {
        Domain::IPV6
    } else {
        Domain::IPV4
    };
    Socket::new(
        domain,
        Type::STREAM.nonblocking().cloexec(),
        Some(Protocol::TCP),
    )
}

/// Bind and listen; the error carries the syscall that failed (`bind` is reported as
/// `listen`, as Node does).
pub(crate) fn listen_tcp(spec: &ListenSpec) -> io::Result<TcpListener> {
    let sock = tcp_socket(spec.addr)?;
    sock.set_reuse_address(true)?;
    if spec.reuse_port {
        sock.set_reuse_port(true)?;
    }
    if spec.addr.is_ipv6() {
        sock.set_only_v6(spec.ipv6_only)?;
    }
    sock.bind(&SockAddr::from(spec.addr))?;
    sock.listen(spec.backlog)?;
    Ok(TcpListener::from_std(sock.into()))
}

/// Bind and listen on a Unix path.
/// A Unix socket address for `path`. A path too long for one (108 bytes on Linux) is
/// EINVAL, not truncated, as libuv refuses it for Node (which asks for no truncation).
fn unix_addr(path: &str) -> io::Result<SockAddr> {
    SockAddr::unix(path).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))
}

/// Whether `path` fits a Unix socket address (see [`unix_addr`]).
pub(crate) fn unix_path_fits(path: &str) -> bool {
    SockAddr::unix(path).is_ok()
}

pub(crate) fn listen_unix(path: &str, backlog: i32) -> io::Result<UnixListener> {
    let sock = Socket::new(Domain::UNIX, Type::STREAM.nonblocking().cloexec(), None)?;
    let addr = unix_addr(path)?;
    // libuv reports a bind that finds no such directory (ENOENT) as EACCES, as Windows
    // would, and Node passes that on: `listen EACCES: permission denied /no/such/dir/s`.
    sock.bind(&addr).map_err(|e| match e.raw_os_error() {
        Some(libc::ENOENT) => io::Error::from_raw_os_error(libc::EACCES),
        _ => e,
    })?;
    sock.listen(backlog)?;
    Ok(UnixListener::from_std(sock.into()))
}

/// Set a Unix socket file's permission bits to exactly `mode` (libuv's `uv_pipe_chmod`
/// works on the path: `fchmod` on the socket's descriptor would not reach the file).
pub(crate) fn chmod_path(path: &str, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

/// What a descriptor is, as libuv's `uv_guess_handle` sorts them (Node's
/// `guessHandleType`): the names are Node's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FdKind {
    /// A TCP stream socket (IPv4 or IPv6).
    Tcp,
    /// A Unix stream socket.
    UnixSocket,
    /// A FIFO (a pipe); Node counts it with Unix sockets as `PIPE`.
    Fifo,
    /// An IP datagram socket.
    Udp,
    /// A terminal.
    Tty,
    /// A regular file or another character device (`/dev/null`).
    File,
    /// Anything else, or not an open descriptor.
    Unknown,
}

impl FdKind {
    /// Node's name for the kind (`ERR_INVALID_FD_TYPE`'s message uses it).
    pub fn node_name(self) -> &'static str {
        match self {
            FdKind::Tcp => "TCP",
            FdKind::UnixSocket | FdKind::Fifo => "PIPE",
            FdKind::Udp => "UDP",
            FdKind::Tty => "TTY",
            FdKind::File => "FILE",
            FdKind::Unknown => "UNKNOWN",
        }
    }
}

/// Sort `fd` (it is only looked at, never changed or closed).
pub(crate) fn fd_kind(fd: RawFd) -> FdKind {
    if fd < 0 {
        return FdKind::Unknown;
    }
    // SAFETY: isatty only reads the descriptor table.
    if unsafe { libc::isatty(fd) } == 1 {
        return FdKind::Tty;
    }
    // SAFETY: stat is plain data; zeroed is a valid value for it.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: fstat fills `st`, which we own; a bad fd is an error, not UB.
    if unsafe { libc::fstat(fd, &mut st) } != 0 {
        return FdKind::Unknown;
    }
    match st.st_mode & libc::S_IFMT {
        libc::S_IFREG | libc::S_IFCHR => return FdKind::File,
        libc::S_IFIFO => return FdKind::Fifo,
        libc::S_IFSOCK => {}
        _ => return FdKind::Unknown,
    }
    // SAFETY: the descriptor is open (fstat said so) and outlives this call; it is only
    // borrowed.
    let borrowed = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
    let sock = socket2::SockRef::from(&borrowed);
    let (Ok(ty), Ok(addr)) = (sock.r#type(), sock.local_addr()) else {
        return FdKind::Unknown;
    };
    let family = i32::from(addr.family());
    match (ty, family) {
        (Type::STREAM, libc::AF_INET | libc::AF_INET6) => FdKind::Tcp,
        (Type::STREAM, libc::AF_UNIX) => FdKind::UnixSocket,
        (Type::DGRAM, libc::AF_INET | libc::AF_INET6) => FdKind::Udp,
        _ => FdKind::Unknown,
    }
}

/// Make `fd`, a stream socket, a non-blocking socket2 socket.
fn own_stream_socket(fd: OwnedFd) -> io::Result<Socket> {
    let sock = Socket::from(fd);
    sock.set_nonblocking(true)?;
    Ok(sock)
}

/// A connected stream from a descriptor the user gives (Node's `new net.Socket({ fd })`),
/// or the kind it is when it is not a TCP or Unix stream socket (it is then closed with
/// `fd`, which was handed over).
pub(crate) fn stream_from_fd(fd: OwnedFd) -> Result<io::Result<Stream>, FdKind> {
    match fd_kind(fd.as_raw_fd()) {
        FdKind::Tcp => {
            Ok(own_stream_socket(fd).map(|s| Stream::Tcp(TcpStream::from_std(s.into()))))
        }
        FdKind::UnixSocket => {
            Ok(own_stream_socket(fd).map(|s| Stream::Unix(UnixStream::from_std(s.into()))))
        }
        other => Err(other),
    }
}

/// Listen on a descriptor the user gives (Node's `server.listen({ fd })`): a bound TCP or
/// Unix stream socket, listening already or not (listen(2) is called on it with `backlog`,
/// as libuv does). A FIFO is refused with ENOTSOCK (what listen(2) says of it, as Node
/// reports), any other descriptor with EINVAL (Node's answer for an fd it cannot wrap).
/// `fd` was handed over: a refused one is closed with it, as is a socket listen(2) refuses.
pub(crate) fn listener_from_fd(fd: OwnedFd, backlog: i32) -> io::Result<Listener> {
    let kind = fd_kind(fd.as_raw_fd());
    match kind {
        FdKind::Tcp | FdKind::UnixSocket => {}
        FdKind::Fifo => return Err(io::Error::from_raw_os_error(libc::ENOTSOCK)),
        _ => return Err(io::Error::from_raw_os_error(libc::EINVAL)),
    }
    let sock = own_stream_socket(fd)?;
    sock.listen(backlog)?;
    Ok(match kind {
        FdKind::Tcp => Listener::Tcp(TcpListener::from_std(sock.into())),
        _ => Listener::Unix(UnixListener::from_std(sock.into()), None),
    })
}

/// Bind a new TCP socket to `addr` without listening or connecting (Node's
/// `net.BoundSocket`, libuv's `uv_tcp_bind`): `SO_REUSEADDR` as libuv sets it, and
/// `SO_REUSEPORT` and `IPV6_V6ONLY` on request (the latter only on an IPv6 address; an
/// IPv4 one ignores it, as Node does). The bind's own error comes back as is.
pub(crate) fn bind_tcp(addr: SocketAddr, ipv6_only: bool, reuse_port: bool) -> io::Result<OwnedFd> {
    let sock = tcp_socket(addr)?;
    sock.set_reuse_address(true)?;
    if reuse_port {
        sock.set_reuse_port(true)?;
    }
    if addr.is_ipv6() && ipv6_only {
        sock.set_only_v6(true)?;
    }
    sock.bind(&SockAddr::from(addr))?;
    Ok(sock.into())
}

/// The local address of a bound TCP socket (getsockname).
pub(crate) fn bound_addr(fd: &OwnedFd) -> io::Result<SocketAddr> {
    socket2::SockRef::from(fd)
        .local_addr()?
        .as_socket()
        .ok_or_else(|| io::Error::from_raw_os_error(libc::EAFNOSUPPORT))
}

/// Listen on a TCP socket [`bind_tcp`] made; it is closed if listen(2) fails.
pub(crate) fn listener_from_bound(fd: OwnedFd, backlog: i32) -> io::Result<Listener> {
    let sock = Socket::from(fd);
    sock.listen(backlog)?;
    Ok(Listener::Tcp(TcpListener::from_std(sock.into())))
}

/// A socket [`bind_tcp`] made, to connect with [`connect_tcp`] (from its address and
/// port).
pub(crate) fn tcp_from_bound(fd: OwnedFd) -> Socket {
    Socket::from(fd)
}

/// What became of making a connect's socket and binding it (see [`tcp_socket_bound`]).
pub(crate) enum Made {
    /// Ready to connect.
    Socket(Socket),
    /// No socket could be made (EMFILE, say). Node makes a connect's socket in its bind
    /// when there is a local address, else in the connect itself (after its
    /// `connectionAttempt`).
    NoSocket(io::Error),
    /// The bind failed: Node's `bind` error, with no attempt.
    BindFailed(io::Error),
    /// The bind found the address in use with no port asked for: libuv keeps that error
    /// for the connect, which then fails on the loop as an attempt (`connectionAttempt`,
    /// then `connectionAttemptFailed` and a `connect` error). With a port asked for, Node
    /// sees the bind's error (its port check) and it is `BindFailed`.
    BindInUse(io::Error),
}

/// A non-blocking TCP socket for `addr`'s family, bound to `local` when given, with
/// `SO_REUSEADDR` set first as libuv's `uv_tcp_bind` sets it (a local port some closed
/// connection holds in TIME_WAIT can be bound again). Node binds before it connects (and
/// before its `connectionAttempt` event): a failure here is an error of syscall `bind`,
/// not of `connect`, but for an address in use with no port asked for.
pub(crate) fn tcp_socket_bound(addr: SocketAddr, local: Option<SocketAddr>) -> Made {
    // A local address of the other family is no address of this one: Node's bind parses
    // it as one of the destination's family and fails with EINVAL, before any socket.
    if local.is_some_and(|l| l.is_ipv4() != addr.is_ipv4()) {
        return Made::BindFailed(io::Error::from_raw_os_error(libc::EINVAL));
    }
    let sock = match tcp_socket(addr) {
        Ok(s) => s,
        Err(e) if local.is_some() => return Made::BindFailed(e),
        Err(e) => return Made::NoSocket(e),
    };
    if let Some(l) = local {
        if let Err(e) = sock.set_reuse_address(true) {
            return Made::BindFailed(e);
        }
        if let Err(e) = sock.bind(&SockAddr::from(l)) {
            if e.raw_os_error() == Some(libc::EADDRINUSE) && l.port() == 0 {
                return Made::BindInUse(e);
            }
            return Made::BindFailed(e);
        }
    }
    Made::Socket(sock)
}

/// A connect refused before it began, with the socket's local address as getsockname(2)
/// gave it then (`None` if it failed): Node names it in the error's message.
pub(crate) struct Refused {
    pub error: io::Error,
    pub local: Option<SocketAddr>,
}

/// Start a non-blocking TCP connect on a socket from [`tcp_socket_bound`].
pub(crate) fn connect_tcp(sock: Socket, addr: SocketAddr) -> Result<Stream, Refused> {
    match sock.connect(&SockAddr::from(addr)) {
        Ok(()) => {}
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => {}
        Err(error) => {
            let local = sock.local_addr().ok().and_then(|a| a.as_socket());
            return Err(Refused { error, local });
        }
    }
    Ok(Stream::Tcp(TcpStream::from_std(sock.into())))
}

/// Start a Unix-socket connect.
pub(crate) fn connect_unix(path: &str) -> io::Result<Stream> {
    let sock = Socket::new(Domain::UNIX, Type::STREAM.nonblocking().cloexec(), None)?;
    match sock.connect(&unix_addr(path)?) {
        Ok(()) => {}
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => {}
        // EAGAIN is the listener's backlog full: a failure, as libuv reports it (the
        // connect is not under way, and nothing would ever end it).
        Err(e) => return Err(e),
    }
    Ok(Stream::Unix(UnixStream::from_std(sock.into())))
}

/// One spare descriptor, given up for a moment when accept fails with EMFILE/ENFILE so the
/// pending connection can be accepted and closed (libuv's trick): the loop never spins on
/// a listener it cannot serve.
pub(crate) struct Spare(Option<OwnedFd>);

impl Spare {
    pub fn new() -> Spare {
        Spare(open_spare())
    }

    /// Close the spare, accept-and-close what is pending, take the spare back. Returns
    /// whether the spare could be reopened.
    pub fn shed(&mut self, l: &Listener) -> bool {
        self.0 = None;
        while let Ok(s) = l.accept() {
            drop(s);
        }
        self.0 = open_spare();
        self.0.is_some()
    }
}

fn open_spare() -> Option<OwnedFd> {
    // SAFETY: a plain open(2) of a constant path; the result is checked before use.
    let fd = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
    // SAFETY: a non-negative fd from open is ours to own.
    (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Why a name lookup failed: Node's code and libuv's negative errno.
#[derive(Debug, Clone)]
pub(crate) struct LookupFailure {
    pub code: &'static str,
    pub errno: i32,
}

/// Resolve `host` with getaddrinfo (blocking; run it on the pool), as a connect does:
/// `family` 4 or 6 restricts the answer; 0 takes both, in the resolver's order (Node's
/// `verbatim`), of the families this host has addresses of (AI_ADDRCONFIG, which Node's
/// connect asks for only then).
pub(crate) fn lookup(host: &str, family: u8) -> Result<Vec<IpAddr>, LookupFailure> {
    lookup_with(host, family, family != 4 && family != 6)
}

/// Resolve `host` as a listen does (Node's `dns.lookup` with its defaults): either family,
/// in the resolver's order, with no AI_ADDRCONFIG.
pub(crate) fn lookup_any(host: &str) -> Result<Vec<IpAddr>, LookupFailure> {
    lookup_with(host, 0, false)
}

fn lookup_with(host: &str, family: u8, addrconfig: bool) -> Result<Vec<IpAddr>, LookupFailure> {
    let fail = |code, errno| Err(LookupFailure { code, errno });
    let Ok(c_host) = std::ffi::CString::new(host) else {
        return fail("ENOTFOUND", -3008);
    };
    // SAFETY: addrinfo is plain data; zeroed hints are valid.
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_family = match family {
        4 => libc::AF_INET,
        6 => libc::AF_INET6,
        _ => libc::AF_UNSPEC,
    };
    hints.ai_socktype = libc::SOCK_STREAM;
    // On a host with only loopback, AI_ADDRCONFIG finds no family configured: a lookup of
    // `localhost` for family 4 with it fails, where Node's (without it) answers.
    if addrconfig {
        hints.ai_flags = libc::AI_ADDRCONFIG;
    }
    let mut res: *mut libc::addrinfo = std::ptr::null_mut();
    // SAFETY: valid C string and hints; `res` is freed below with freeaddrinfo.
    let rc = unsafe { libc::getaddrinfo(c_host.as_ptr(), std::ptr::null(), &hints, &mut res) };
    if rc != 0 {
        return match rc {
            libc::EAI_NONAME | libc::EAI_NODATA => fail("ENOTFOUND", -3008),
            libc::EAI_AGAIN => fail("EAI_AGAIN", -3001),
            libc::EAI_FAIL => fail("EAI_FAIL", -3007),
            libc::EAI_MEMORY => fail("EAI_MEMORY", -3006),
            _ => fail("ENOTFOUND", -3008),
        };
    }
    let mut out: Vec<IpAddr> = Vec::new();
    let mut p = res;
    while !p.is_null() {
        // SAFETY: `p` walks the list getaddrinfo returned, which is valid until freed.
        let ai = unsafe { &*p };
        let ip = match ai.ai_family {
            libc::AF_INET => {
                // SAFETY: for AF_INET, ai_addr points at a sockaddr_in.
                let sa = unsafe { &*(ai.ai_addr as *const libc::sockaddr_in) };
                Some(IpAddr::from(u32::from_be(sa.sin_addr.s_addr).to_be_bytes()))
            }
            libc::AF_INET6 => {
                // SAFETY: for AF_INET6, ai_addr points at a sockaddr_in6.
                let sa = unsafe { &*(ai.ai_addr as *const libc::sockaddr_in6) };
                Some(IpAddr::from(sa.sin6_addr.s6_addr))
            }
            _ => None,
        };
        if let Some(ip) = ip
            && !out.contains(&ip)
        {
            out.push(ip);
        }
        p = ai.ai_next;
    }
    // SAFETY: `res` came from a successful getaddrinfo and is freed once.
    unsafe { libc::freeaddrinfo(res) };
    if out.is_empty() {
        return fail("ENOTFOUND", -3008);
    }
    Ok(out)
}
