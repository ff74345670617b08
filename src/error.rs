//! Node-shaped errors.
//!
//! Node reports failures as `Error` objects carrying a `code` (`"ECONNREFUSED"`,
//! `"ERR_SERVER_NOT_RUNNING"`, ...), and for system errors also a negative `errno`, the
//! `syscall` that failed, and where it applies the `address` and `port`. [`Error`] carries
//! the same fields, and its `Display` is Node's `message`, so a trace printed from Rust
//! reads as the one printed from JavaScript.

use std::borrow::Cow;
use std::fmt;

/// The result type of nodenet's fallible calls.
pub type Result<T> = std::result::Result<T, Error>;

/// An error as Node reports it: a code, a message, and for system errors the errno,
/// syscall, address and port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(Box<Inner>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Inner {
    code: Cow<'static, str>,
    message: String,
    errno: Option<i32>,
    syscall: Option<&'static str>,
    address: Option<String>,
    port: Option<u16>,
    hostname: Option<String>,
    /// Node's `localAddress` and `localPort`: the local side a connect asked to bind.
    local: Option<(String, u16)>,
    errors: Vec<Error>,
    /// Node's `name` when it is not `"Error"` (`"AbortError"`, `"TimeoutError"`).
    name: Option<&'static str>,
    /// Node's `cause`: what an `AbortError` carries from its signal's reason.
    cause: Option<Error>,
}

impl Error {
    /// A Node-internal error such as `ERR_SERVER_NOT_RUNNING` with its message.
    pub fn node(code: &'static str, message: impl Into<String>) -> Error {
        Error(Box::new(Inner {
            code: Cow::Borrowed(code),
            message: message.into(),
            errno: None,
            syscall: None,
            address: None,
            port: None,
            hostname: None,
            local: None,
            errors: Vec::new(),
            name: None,
            cause: None,
        }))
    }

    /// A plain user error, Node's `new Error(message)`: it has no code, so `code()` is `""`.
    pub fn other(message: impl Into<String>) -> Error {
        Error::node("", message)
    }

    /// A system error from a positive OS errno, as Node's `errnoException`: the message is
    /// `"<syscall> <CODE>"`.
    pub fn sys(errno: i32, syscall: &'static str) -> Error {
        let code = errno_name(errno);
        Error(Box::new(Inner {
            code: Cow::Borrowed(code),
            message: format!("{syscall} {code}"),
            errno: Some(-errno),
            syscall: Some(syscall),
            address: None,
            port: None,
            hostname: None,
            local: None,
            errors: Vec::new(),
            name: None,
            cause: None,
        }))
    }

    /// A system error from an `io::Error` (falls back to `EIO` when it has no OS code).
    pub fn from_io(err: &std::io::Error, syscall: &'static str) -> Error {
        Error::sys(err.raw_os_error().unwrap_or(libc::EIO), syscall)
    }

    /// As [`Error::sys`] with an address, in Node's `exceptionWithHostPort` shape:
    /// `"connect ECONNREFUSED 127.0.0.1:8080"` (or the path alone for Unix sockets). Port 0
    /// counts as none, as in Node (`if (port && port > 0)`): no `:0` in the message and no
    /// `port` field.
    pub fn with_address(mut self, address: &str, port: Option<u16>) -> Error {
        let port = port.filter(|&p| p != 0);
        self.0.message = match port {
            Some(p) => format!("{} {address}:{p}", self.0.message),
            None => format!("{} {address}", self.0.message),
        };
        self.0.address = Some(address.to_string());
        self.0.port = port;
        self
    }

    /// Name the local side of a failed connect, as Node does when the socket was bound
    /// (`"connect EINVAL 127.0.0.1:80 - Local (::1:4000)"`).
    pub(crate) fn with_local(mut self, local: &str) -> Error {
        self.0.message = format!("{} - Local ({local})", self.0.message);
        self
    }

    /// Name the local side a connect asked to bind, as Node does for a connect that
    /// fails on the loop (refused, timed out) when a local port was given: the message
    /// ends `" - Local (<address>:<port>)"`, with the any-address of the attempt's family
    /// when no local address was given, and the error has `localAddress` and
    /// `localPort`.
    pub(crate) fn with_local_side(mut self, local: std::net::SocketAddr) -> Error {
        let ip = local.ip().to_string();
        self = self.with_local(&format!("{ip}:{}", local.port()));
        self.0.local = Some((ip, local.port()));
        self
    }

    /// A listen-style error (Node's `uvExceptionWithHostPort`): `"listen EADDRINUSE: address
    /// already in use :::3000"`. Port 0 counts as none, as in Node: `listen(0, '192.0.2.1')`
    /// fails with `"... address not available 192.0.2.1"` and no `port` field.
    pub fn uv_with_address(
        errno: i32,
        syscall: &'static str,
        address: &str,
        port: Option<u16>,
    ) -> Error {
        let port = port.filter(|&p| p != 0);
        let mut e = Error::sys(errno, syscall);
        let text = uv_message(errno);
        e.0.message = match port {
            Some(p) => format!("{syscall} {}: {text} {address}:{p}", e.0.code),
            None => format!("{syscall} {}: {text} {address}", e.0.code),
        };
        e.0.address = Some(address.to_string());
        e.0.port = port;
        e
    }

    /// A libuv-style error with no address: `"listen EINVAL: invalid argument"`.
    pub(crate) fn uv(errno: i32, syscall: &'static str) -> Error {
        let mut e = Error::sys(errno, syscall);
        e.0.message = format!("{syscall} {}: {}", e.0.code, uv_message(errno));
        e
    }

    /// A name-resolution failure (`getaddrinfo ENOTFOUND host`).
    pub fn lookup(code: &'static str, errno: i32, hostname: &str) -> Error {
        let mut e = Error::node(code, format!("getaddrinfo {code} {hostname}"));
        e.0.errno = Some(errno);
        e.0.syscall = Some("getaddrinfo");
        e.0.hostname = Some(hostname.to_string());
        e
    }

    /// Node's `AggregateError` for a happy-eyeballs connect where every attempt failed:
    /// the code is the first error's, the message is empty.
    pub fn aggregate(errors: Vec<Error>) -> Error {
        let code = errors
            .first()
            .map(|e| e.0.code.clone())
            .unwrap_or(Cow::Borrowed(""));
        Error(Box::new(Inner {
            code,
            message: String::new(),
            errno: None,
            syscall: None,
            address: None,
            port: None,
            hostname: None,
            local: None,
            errors,
            name: Some("AggregateError"),
            cause: None,
        }))
    }

    /// Node's `AbortError`: what a socket whose `signal` aborts is destroyed with.
    /// Its code is `ABORT_ERR`, its name `AbortError`, its message "The operation was
    /// aborted", and its [`cause`](Error::cause) the signal's reason.
    ///
    /// ```
    /// let reason = nodenet::Error::other("changed my mind");
    /// let e = nodenet::Error::abort(Some(reason));
    /// assert_eq!((e.code(), e.name()), ("ABORT_ERR", "AbortError"));
    /// assert_eq!(e.cause().map(|c| c.message()), Some("changed my mind"));
    /// ```
    pub fn abort(cause: Option<Error>) -> Error {
        let mut e = Error::node("ABORT_ERR", "The operation was aborted").with_name("AbortError");
        e.0.cause = cause;
        e
    }

    /// The same error under another `name` (Node's `err.name`; see [`name`](Error::name)).
    pub fn with_name(mut self, name: &'static str) -> Error {
        self.0.name = Some(name);
        self
    }

    /// Node's `code` (`"ECONNRESET"`, `"ERR_STREAM_WRITE_AFTER_END"`, ...).
    pub fn code(&self) -> &str {
        &self.0.code
    }
    /// Node's `message`.
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// Node's negative `errno` for system errors.
    pub fn errno(&self) -> Option<i32> {
        self.0.errno
    }
    /// The system call that failed (`"connect"`, `"listen"`, `"read"`, ...).
    pub fn syscall(&self) -> Option<&str> {
        self.0.syscall
    }
    /// The address involved, when Node reports one.
    pub fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }
    /// The port involved, when Node reports one.
    pub fn port(&self) -> Option<u16> {
        self.0.port
    }
    /// The host name of a failed lookup.
    pub fn hostname(&self) -> Option<&str> {
        self.0.hostname.as_deref()
    }
    /// Node's `localAddress` of a connect error: the local address the socket asked to
    /// bind (its family's any-address when only a port was given). Set, with
    /// [`local_port`](Error::local_port), when a connect with a local port failed on the
    /// loop (refused, timed out); `None` otherwise, as in Node.
    pub fn local_address(&self) -> Option<&str> {
        self.0.local.as_ref().map(|(a, _)| a.as_str())
    }
    /// Node's `localPort` of a connect error (see [`local_address`](Error::local_address)).
    pub fn local_port(&self) -> Option<u16> {
        self.0.local.as_ref().map(|(_, p)| *p)
    }
    /// The errors of an aggregate error, in attempt order (empty otherwise).
    pub fn errors(&self) -> &[Error] {
        &self.0.errors
    }
    /// Node's `name`: `"AbortError"` for [`Error::abort`], `"AbortError"` or
    /// `"TimeoutError"` for a signal's default reasons, `"AggregateError"` for
    /// [`Error::aggregate`]; for Node's own codes the class Node gives them (`TypeError`
    /// for the argument and type errors, `RangeError` for `ERR_OUT_OF_RANGE` and
    /// `ERR_SOCKET_BAD_PORT`, as Node 24's error table has them); else `"Error"`, as for
    /// every system error.
    pub fn name(&self) -> &str {
        if let Some(name) = self.0.name {
            return name;
        }
        match &*self.0.code {
            "ERR_OUT_OF_RANGE" | "ERR_SOCKET_BAD_PORT" => "RangeError",
            "ERR_INVALID_ARG_TYPE"
            | "ERR_INVALID_ARG_VALUE"
            | "ERR_UNKNOWN_ENCODING"
            | "ERR_INVALID_IP_ADDRESS"
            | "ERR_INVALID_FD_TYPE"
            | "ERR_INVALID_HANDLE_TYPE"
            | "ERR_STREAM_NULL_VALUES"
            | "ERR_MISSING_ARGS" => "TypeError",
            _ => "Error",
        }
    }
    /// Node's `cause`: for an `AbortError`, the reason its signal was aborted with.
    pub fn cause(&self) -> Option<&Error> {
        self.0.cause.as_ref()
    }
    /// Replace the message, keeping the code (Node does this for `EPIPE` after the peer's FIN).
    pub fn with_message(mut self, message: impl Into<String>) -> Error {
        self.0.message = message.into();
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Error {}

/// The error codes Node produces itself, with their messages.
pub(crate) mod codes {
    use super::Error;
    pub fn server_not_running() -> Error {
        Error::node("ERR_SERVER_NOT_RUNNING", "Server is not running.")
    }
    pub fn server_already_listen() -> Error {
        Error::node(
            "ERR_SERVER_ALREADY_LISTEN",
            "Listen method has been called more than once without closing.",
        )
    }
    pub fn write_after_end() -> Error {
        Error::node("ERR_STREAM_WRITE_AFTER_END", "write after end")
    }
    pub fn stream_destroyed(method: &str) -> Error {
        Error::node(
            "ERR_STREAM_DESTROYED",
            format!("Cannot call {method} after a stream was destroyed"),
        )
    }
    pub fn ip_blocked(ip: &str) -> Error {
        Error::node(
            "ERR_IP_BLOCKED",
            format!("IP({ip}) is blocked by net.BlockList"),
        )
    }
    pub fn socket_closed() -> Error {
        Error::node("ERR_SOCKET_CLOSED", "Socket is closed")
    }
    /// What Node's `resetAndDestroy()` throws for a handle that is not TCP (its message is
    /// the one Node shares with handle passing).
    pub fn invalid_handle_type() -> Error {
        Error::node("ERR_INVALID_HANDLE_TYPE", "This handle type cannot be sent")
    }
    pub fn closed_before_connection() -> Error {
        Error::node(
            "ERR_SOCKET_CLOSED_BEFORE_CONNECTION",
            "Socket closed before the connection was established",
        )
    }
    /// `ERR_INVALID_ARG_VALUE` (a TypeError in Node): argument `name` is refused for
    /// `reason`; `received` says what was given.
    pub fn invalid_arg_value(name: &str, reason: &str, received: &str) -> Error {
        Error::node(
            "ERR_INVALID_ARG_VALUE",
            format!("The argument '{name}' {reason}. Received {received}"),
        )
    }
    /// `ERR_INVALID_FD_TYPE` (a TypeError in Node): a descriptor of a kind a socket
    /// cannot wrap; `kind` is Node's name for it (`FILE`, `UDP`, `UNKNOWN`, ...).
    pub fn invalid_fd_type(kind: &str) -> Error {
        Error::node(
            "ERR_INVALID_FD_TYPE",
            format!("Unsupported fd type: {kind}"),
        )
    }
    /// The reason of a signal aborted without one: a DOMException named `AbortError`
    /// (its legacy numeric code 20 is the constant `ABORT_ERR`, which is the code here).
    pub fn abort_reason() -> Error {
        Error::node("ABORT_ERR", "This operation was aborted").with_name("AbortError")
    }
    /// The reason of a signal from `AbortSignal::timeout`: a DOMException named
    /// `TimeoutError` (legacy code 23, the constant `TIMEOUT_ERR`).
    pub fn timeout_reason() -> Error {
        Error::node("TIMEOUT_ERR", "The operation was aborted due to timeout")
            .with_name("TimeoutError")
    }
    /// `ERR_SOCKET_HANDLE_ADOPTED`: a bound socket used after a server or a socket took
    /// it over, or after it was closed.
    pub fn socket_handle_adopted() -> Error {
        Error::node(
            "ERR_SOCKET_HANDLE_ADOPTED",
            "This bound socket is no longer usable: a server or a socket adopted it, or it was closed",
        )
    }
    pub fn ended_by_other_party() -> Error {
        Error::sys(libc::EPIPE, "write")
            .with_message("This socket has been ended by the other party")
    }
}

/// libuv's name for an errno (`ECONNREFUSED`), as Node puts in `err.code`.
pub fn errno_name(errno: i32) -> &'static str {
    use libc::*;
    match errno {
        EACCES => "EACCES",
        EADDRINUSE => "EADDRINUSE",
        EADDRNOTAVAIL => "EADDRNOTAVAIL",
        EAFNOSUPPORT => "EAFNOSUPPORT",
        EAGAIN => "EAGAIN",
        EALREADY => "EALREADY",
        EBADF => "EBADF",
        EBUSY => "EBUSY",
        ECANCELED => "ECANCELED",
        ECONNABORTED => "ECONNABORTED",
        ECONNREFUSED => "ECONNREFUSED",
        ECONNRESET => "ECONNRESET",
        EEXIST => "EEXIST",
        EHOSTUNREACH => "EHOSTUNREACH",
        EINTR => "EINTR",
        EINVAL => "EINVAL",
        EIO => "EIO",
        EISCONN => "EISCONN",
        EISDIR => "EISDIR",
        EMFILE => "EMFILE",
        EMSGSIZE => "EMSGSIZE",
        ENAMETOOLONG => "ENAMETOOLONG",
        ENETDOWN => "ENETDOWN",
        ENETUNREACH => "ENETUNREACH",
        ENFILE => "ENFILE",
        ENOBUFS => "ENOBUFS",
        ENOENT => "ENOENT",
        ENOMEM => "ENOMEM",
        ENOTCONN => "ENOTCONN",
        ENOTDIR => "ENOTDIR",
        ENOTSOCK => "ENOTSOCK",
        ENOTSUP => "ENOTSUP",
        EPERM => "EPERM",
        EPIPE => "EPIPE",
        EPROTO => "EPROTO",
        EPROTONOSUPPORT => "EPROTONOSUPPORT",
        ETIMEDOUT => "ETIMEDOUT",
        _ => "UNKNOWN",
    }
}

/// libuv's `uv_strerror` text for an errno (used in listen errors).
fn uv_message(errno: i32) -> &'static str {
    use libc::*;
    match errno {
        EADDRINUSE => "address already in use",
        EACCES => "permission denied",
        EADDRNOTAVAIL => "address not available",
        EINVAL => "invalid argument",
        ENOENT => "no such file or directory",
        EPERM => "operation not permitted",
        ENAMETOOLONG => "name too long",
        EMFILE => "too many open files",
        ENOTSOCK => "socket operation on non-socket",
        _ => "unknown error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_refused_reads_as_node_prints_it() {
        let e = Error::sys(libc::ECONNREFUSED, "connect").with_address("127.0.0.1", Some(9));
        assert_eq!(e.to_string(), "connect ECONNREFUSED 127.0.0.1:9");
        assert_eq!(e.errno(), Some(-111));
        assert_eq!(e.code(), "ECONNREFUSED");
    }

    #[test]
    fn listen_on_a_file_descriptor_reads_as_node_prints_it() {
        let e = Error::uv(libc::EINVAL, "listen");
        assert_eq!(e.to_string(), "listen EINVAL: invalid argument");
        assert_eq!(
            (e.code(), e.errno(), e.address()),
            ("EINVAL", Some(-22), None)
        );
        let e = Error::uv(libc::ENOTSOCK, "listen");
        assert_eq!(
            e.to_string(),
            "listen ENOTSOCK: socket operation on non-socket"
        );
    }

    #[test]
    fn listen_in_use_reads_as_node_prints_it() {
        let e = Error::uv_with_address(libc::EADDRINUSE, "listen", "::", Some(3000));
        assert_eq!(
            e.to_string(),
            "listen EADDRINUSE: address already in use :::3000"
        );
        assert_eq!(e.errno(), Some(-98));
    }
}
