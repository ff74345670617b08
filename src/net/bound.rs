//! `BoundSocket`: Node 24's `net.BoundSocket`, a TCP socket bound to an address at once
//! (a port reservation), that a server or a socket adopts later.
//!
//! What Node does, and nodenet with it:
//!
//! - [`BoundSocket::new`] binds synchronously, so every bind failure is its `Err`
//!   (`bind EADDRINUSE 127.0.0.1:3000`, syscall `bind`; the port is left out of the
//!   message when it is 0). The host must be an IP literal: nothing is looked up. No host
//!   binds `0.0.0.0`, or `::` with `ipv6_only`. `SO_REUSEADDR` is set, as libuv sets it
//!   for every TCP bind: so two bound sockets may share a port until one of them listens,
//!   and a port a listener holds is refused with EADDRINUSE.
//! - A bound socket is adopted once: by a server
//!   ([`ListenOptions::bound`](super::ListenOptions::bound), Node's `server.listen(bound)`)
//!   or by a socket ([`Socket::from_bound`](super::Socket::from_bound), Node's
//!   `new net.Socket({ handle: bound })`). From then on, and after [`close`], every call
//!   on it fails with `ERR_SOCKET_HANDLE_ADOPTED`, adopting it again included.
//! - A socket that adopted it connects from the bound address and port, with one lookup
//!   and one attempt (no happy eyeballs), as Node does; a connect the kernel refuses at
//!   once (an IPv6 socket asked to reach an IPv4 address: EINVAL) names the local side in
//!   its message (`connect EINVAL 127.0.0.1:3000 - Local (::1:4000)`). Node's lookup
//!   there is not restricted to the bound family (the `family` option is passed as
//!   given), and neither is nodenet's.
//!
//! # Why it looks like this in Rust
//!
//! Node's object changes state behind the user's reference: after an adoption or a
//! `close()` the same object answers with an error. nodenet keeps that as a real state
//! rather than moving the socket into the adopter: the methods take `&self`, and the
//! descriptor sits in a `Mutex<Option<OwnedFd>>` that adoption or `close` empties. So the
//! "already adopted" errors are states a program can reach and test, as in Node, and a
//! `BoundSocket` can be kept (for its port, say) after it was handed over. The
//! descriptor is an `OwnedFd`: whoever holds it closes it, so a bound socket never
//! adopted is closed when dropped (Node's `[Symbol.dispose]`), and an adopted one is
//! closed by its server or socket.
//!
//! Adopting for a server goes through [`ListenOptions`](super::ListenOptions), which is
//! `Clone` and is built before the `listen` call: it carries a [`BoundHandle`], a shared
//! claim on the same cell, and the descriptor moves only when the server listens with
//! it (so a `listen` refused for a server that is already listening leaves the bound
//! socket as it was, as in Node). The cell is shared through an `Arc`, behind a `Mutex`
//! rather than a `Cell`, so that a bound socket, like Node's, can be made on one thread
//! and adopted on another (a port reserved before `nodenet::cluster` starts its loops,
//! say): the descriptor of a bound socket never adopted is closed when the last of the
//! `BoundSocket` and the options that name it is dropped.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::AddressInfo;
use super::address::{self, PortInput};
use crate::error::{Error, codes};
use crate::io;

/// Options of [`BoundSocket::new`], the fields of Node's `new net.BoundSocket(options)`.
///
/// ```
/// use nodenet::net::BoundSocketOptions;
/// let o = BoundSocketOptions::default().host("127.0.0.1").port(0);
/// assert_eq!(o.host.as_deref(), Some("127.0.0.1"));
/// assert!(!o.ipv6_only && !o.reuse_port);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct BoundSocketOptions {
    /// The IP address to bind, as text (an IP literal; no lookup is made). `None` binds
    /// `0.0.0.0`, or `::` with [`ipv6_only`](BoundSocketOptions::ipv6_only).
    pub host: Option<String>,
    /// The port, 0 (the default) for one the system picks. A number or a numeric string,
    /// checked as Node checks it (`ERR_SOCKET_BAD_PORT` outside 0..=65535).
    pub port: PortInput,
    /// On an IPv6 address, refuse IPv4 (`IPV6_V6ONLY`); ignored on an IPv4 address.
    pub ipv6_only: bool,
    /// Set `SO_REUSEPORT`, so that several sockets may bind the same port.
    pub reuse_port: bool,
}

impl Default for BoundSocketOptions {
    fn default() -> Self {
        BoundSocketOptions {
            host: None,
            port: PortInput::Number(0.0),
            ipv6_only: false,
            reuse_port: false,
        }
    }
}

impl BoundSocketOptions {
    /// Set [`host`](BoundSocketOptions::host).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }
    /// Set [`port`](BoundSocketOptions::port).
    pub fn port(mut self, port: impl Into<PortInput>) -> Self {
        self.port = port.into();
        self
    }
    /// Set [`ipv6_only`](BoundSocketOptions::ipv6_only).
    pub fn ipv6_only(mut self, on: bool) -> Self {
        self.ipv6_only = on;
        self
    }
    /// Set [`reuse_port`](BoundSocketOptions::reuse_port).
    pub fn reuse_port(mut self, on: bool) -> Self {
        self.reuse_port = on;
        self
    }
}

/// The descriptor and the address it was bound to, shared by a [`BoundSocket`] and the
/// [`BoundHandle`]s made from it.
struct Slot {
    fd: Mutex<Option<OwnedFd>>,
    address: AddressInfo,
}

impl Slot {
    /// The descriptor, while it is here (a poisoned lock is recovered: the cell holds no
    /// invariant a panic could break).
    fn fd(&self) -> MutexGuard<'_, Option<OwnedFd>> {
        self.fd.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The descriptor's number, when it is still here.
    fn raw(&self) -> Option<RawFd> {
        self.fd().as_ref().map(AsRawFd::as_raw_fd)
    }

    fn check(&self) -> Result<(), Error> {
        self.raw()
            .map(|_| ())
            .ok_or_else(codes::socket_handle_adopted)
    }

    fn take(&self) -> Result<OwnedFd, Error> {
        self.fd().take().ok_or_else(codes::socket_handle_adopted)
    }
}

/// A TCP socket bound to an address and not yet listening or connected: Node 24's
/// `net.BoundSocket`, a port reserved now and used later.
///
/// It is adopted once, by a server ([`ListenOptions::bound`](super::ListenOptions::bound))
/// or a socket ([`Socket::from_bound`](super::Socket::from_bound)). Adoption and
/// [`close`](BoundSocket::close) are states of this value, as they are of Node's object:
/// the methods take `&self`, and after either every call is `ERR_SOCKET_HANDLE_ADOPTED`.
/// The descriptor is owned: a bound socket never adopted is closed when dropped, an
/// adopted one by its server or socket.
///
/// ```
/// use nodenet::net::{self, BoundSocket, BoundSocketOptions, ListenOptions, events::*};
///
/// nodenet::run(|| {
///     // Reserve a port now; listen on it later.
///     let bound = BoundSocket::new(BoundSocketOptions::default().host("127.0.0.1"))
///         .expect("bind");
///     let port = bound.address().expect("not adopted yet").port;
///     let server = net::create_server();
///     server
///         .try_listen(ListenOptions::bound(&bound).expect("not adopted yet"))
///         .expect("listen");
///     assert!(server.listening());
///     assert_eq!(server.address().map(|a| a.port()), Some(port));
///     // The server has it now.
///     assert_eq!(bound.address().unwrap_err().code(), "ERR_SOCKET_HANDLE_ADOPTED");
///     server.close();
/// })?;
/// # Ok::<(), nodenet::Error>(())
/// ```
pub struct BoundSocket {
    slot: Arc<Slot>,
}

impl BoundSocket {
    /// Bind a new TCP socket (Node's `new net.BoundSocket(options)`). Errors:
    ///
    /// - a bad port: `ERR_SOCKET_BAD_PORT`;
    /// - a host that is not an IP literal (a name, an empty string):
    ///   `ERR_INVALID_ARG_VALUE`;
    /// - the bind's own failure, a system error with syscall `bind`, the address and
    ///   the port (`bind EADDRINUSE 127.0.0.1:3000`; `bind EADDRNOTAVAIL 10.99.99.99`
    ///   for port 0).
    pub fn new(opts: BoundSocketOptions) -> Result<BoundSocket, Error> {
        let port = address::validate_port(&opts.port, "options.port", true)
            .map_err(|e| Error::node(e.code, e.message))?;
        let ip = match &opts.host {
            None if opts.ipv6_only => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
            None => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            Some(host) => parse_host(host)?,
        };
        let addr = SocketAddr::new(ip, port);
        let bind_error = |e: &std::io::Error| {
            Error::from_io(e, "bind").with_address(&ip.to_string(), (port > 0).then_some(port))
        };
        let fd = io::bind_tcp(addr, opts.ipv6_only, opts.reuse_port).map_err(|e| bind_error(&e))?;
        let bound = io::bound_addr(&fd).map_err(|e| bind_error(&e))?;
        Ok(BoundSocket {
            slot: Arc::new(Slot {
                fd: Mutex::new(Some(fd)),
                address: AddressInfo::from_sockaddr(bound),
            }),
        })
    }

    /// The address it is bound to, with the port the system picked for port 0 (Node's
    /// `address()`, shaped as `server.address()`). `ERR_SOCKET_HANDLE_ADOPTED` once
    /// adopted or closed.
    pub fn address(&self) -> Result<AddressInfo, Error> {
        self.slot.check()?;
        Ok(self.slot.address.clone())
    }

    /// The descriptor (Node's `fd()`). It stays the bound socket's: do not close it.
    /// `ERR_SOCKET_HANDLE_ADOPTED` once adopted or closed.
    pub fn fd(&self) -> Result<RawFd, Error> {
        self.slot.raw().ok_or_else(codes::socket_handle_adopted)
    }

    /// Close the socket without adopting it, releasing the port (Node's `close()`).
    /// `ERR_SOCKET_HANDLE_ADOPTED` when it was adopted or closed already. Dropping a
    /// `BoundSocket` closes it too (and is never an error).
    pub fn close(&self) -> Result<(), Error> {
        drop(self.slot.take()?);
        Ok(())
    }

    /// Take the descriptor over (an adoption).
    pub(crate) fn take(&self) -> Result<OwnedFd, Error> {
        self.slot.take()
    }

    /// A claim on the descriptor, for options made now and used later.
    pub(crate) fn handle(&self) -> Result<BoundHandle, Error> {
        self.slot.check()?;
        Ok(BoundHandle(Arc::clone(&self.slot)))
    }
}

impl fmt::Debug for BoundSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoundSocket")
            .field("address", &self.slot.address)
            .field("fd", &self.slot.raw())
            .finish()
    }
}

/// A claim on a [`BoundSocket`]'s descriptor, carried by
/// [`ListenOptions::handle`](super::ListenOptions::handle) until a server listens with
/// it (made by [`ListenOptions::bound`](super::ListenOptions::bound)). Clones share the
/// claim: the first to listen takes the descriptor, the others then fail with
/// `ERR_SOCKET_HANDLE_ADOPTED`.
#[derive(Clone)]
pub struct BoundHandle(Arc<Slot>);

impl BoundHandle {
    /// Take the descriptor over (the server's adoption).
    pub(crate) fn take(&self) -> Result<OwnedFd, Error> {
        self.0.take()
    }
}

impl fmt::Debug for BoundHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoundHandle")
            .field("address", &self.0.address)
            .field("adopted", &self.0.raw().is_none())
            .finish()
    }
}

/// The host as an IP address, or Node's `ERR_INVALID_ARG_VALUE` for anything else.
fn parse_host(host: &str) -> Result<IpAddr, Error> {
    let not_ip = || {
        Error::node(
            "ERR_INVALID_ARG_VALUE",
            format!(
                "The property 'options.host' must be an IP address, as a BoundSocket binds \
                 without looking a name up. Received {}",
                address::inspect_str(host)
            ),
        )
    };
    if address::is_ip(host) == 0 {
        return Err(not_ip());
    }
    // A scoped IPv6 address (`fe80::1%eth0`) passes `is_ip` but is refused here: the
    // standard parser has no scope, and nodenet does not bind one (Node does).
    host.parse::<IpAddr>().map_err(|_| not_ip())
}

#[cfg(test)]
#[test]
fn a_bound_socket_can_be_made_on_one_thread_and_adopted_on_another() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    let b = BoundSocket::new(BoundSocketOptions::default().host("127.0.0.1")).expect("bind");
    send_sync(&b);
    let port = b.address().expect("bound").port;
    let adopted = std::thread::spawn(move || b.take().map(|fd| fd.as_raw_fd() >= 0))
        .join()
        .expect("thread");
    assert_eq!(adopted.ok(), Some(true));
    assert!(port > 0);
}
