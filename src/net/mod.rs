//! The public API, named after Node's `net` module.
//!
//! [`create_server`] and [`connect`] are the two doors, as in Node; [`Server`] and
//! [`Socket`] are small `Copy` ids into the loop's state, so they can be captured by any
//! number of callbacks, including their own, without `Rc` or cycles. A handle whose socket
//! or server is gone answers with defaults and does nothing.
//!
//! [`BoundSocket`] reserves a port before anything listens or connects on it (Node 24's
//! `net.BoundSocket`); a server ([`ListenOptions::bound`]) or a socket
//! ([`Socket::from_bound`]) adopts it later.

pub mod address;
pub mod blocklist;
mod bound;
mod defaults;
mod options;
mod queue;
mod server;
mod socket;

use std::fmt;

use bytes::Bytes;

pub use crate::encoding::Encoding;
pub use address::{Family, SocketAddress, SocketAddressOptions};
pub use address::{is_ip, is_ipv4, is_ipv6};
pub use blocklist::BlockList;
pub use bound::{BoundHandle, BoundSocket, BoundSocketOptions};
pub use defaults::{
    get_default_auto_select_family, get_default_auto_select_family_attempt_timeout,
    set_default_auto_select_family, set_default_auto_select_family_attempt_timeout,
};
pub use options::{
    BufferFn, CallbackResolveFn, ConnectOptions, KeepAlive, ListenFd, ListenOptions,
    LookupCallback, OnRead, OnReadFn, OnReadOwnedFn, ResolveFn, Resolver, ServerOptions,
    SocketOptions,
};
pub use server::{DropInfo, Server, ServerAddress, create_server, create_server_with};
pub use socket::{
    AttemptInfo, LookupInfo, PipeOptions, Socket, connect, create_connection, try_connect,
};

/// The events, to use as `socket.on(Data, ...)`, and the traits behind them.
pub mod events {
    pub use crate::events::{
        Close, Connect, Connection, ConnectionAttempt, ConnectionAttemptFailed,
        ConnectionAttemptTimeout, Data, Drain, Drop, Emits, End, Error, Event, Finish, ListenerId,
        Listening, Lookup, Pause, Pipe, Readable, Ready, Resume, Timeout, Unpipe,
        default_max_listeners, set_default_max_listeners,
    };
}

/// A chunk of a stream: bytes, or a string once an encoding is set (Node's `Buffer` or
/// `string` in a `data` event).
///
/// `Display` prints a string as is and bytes as Node's `console.log` prints a `Buffer`
/// (`<Buffer 68 69>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Chunk {
    /// Raw bytes.
    Bytes(Bytes),
    /// Decoded text.
    Str(String),
}

impl Chunk {
    /// The bytes of the chunk (a string's UTF-8 bytes).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Chunk::Bytes(b) => b,
            Chunk::Str(s) => s.as_bytes(),
        }
    }
    /// The text, when the chunk is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Chunk::Str(s) => Some(s),
            Chunk::Bytes(_) => None,
        }
    }
    /// Node's `length`: bytes for a buffer, UTF-16 code units for a string.
    pub fn len(&self) -> usize {
        match self {
            Chunk::Bytes(b) => b.len(),
            Chunk::Str(s) => utf16_len(s),
        }
    }
    /// Whether the chunk is empty.
    pub fn is_empty(&self) -> bool {
        self.as_bytes().is_empty()
    }
    /// The chunk as bytes, without a copy for `Bytes`.
    pub fn into_bytes(self) -> Bytes {
        match self {
            Chunk::Bytes(b) => b,
            Chunk::Str(s) => Bytes::from(s),
        }
    }
}

/// A string's length in UTF-16 code units, as JavaScript counts it.
pub(crate) fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().map(char::len_utf16).sum()
    }
}

impl fmt::Display for Chunk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Chunk::Str(s) => f.write_str(s),
            Chunk::Bytes(b) => {
                f.write_str("<Buffer")?;
                for byte in b.iter().take(50) {
                    write!(f, " {byte:02x}")?;
                }
                if b.len() > 50 {
                    write!(
                        f,
                        " ... {} more byte{}",
                        b.len() - 50,
                        if b.len() == 51 { "" } else { "s" }
                    )?;
                }
                f.write_str(">")
            }
        }
    }
}

impl From<&str> for Chunk {
    fn from(s: &str) -> Chunk {
        Chunk::Str(s.to_string())
    }
}
impl From<String> for Chunk {
    fn from(s: String) -> Chunk {
        Chunk::Str(s)
    }
}
impl From<Bytes> for Chunk {
    fn from(b: Bytes) -> Chunk {
        Chunk::Bytes(b)
    }
}
impl From<Vec<u8>> for Chunk {
    fn from(b: Vec<u8>) -> Chunk {
        Chunk::Bytes(Bytes::from(b))
    }
}
impl From<&[u8]> for Chunk {
    fn from(b: &[u8]) -> Chunk {
        Chunk::Bytes(Bytes::copy_from_slice(b))
    }
}
impl<const N: usize> From<&[u8; N]> for Chunk {
    fn from(b: &[u8; N]) -> Chunk {
        Chunk::Bytes(Bytes::copy_from_slice(b))
    }
}

/// An address as Node's `address()` gives it: `{ address, family, port }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressInfo {
    /// The IP address as text (`"127.0.0.1"`, `"::"`).
    pub address: String,
    /// `"IPv4"` or `"IPv6"`.
    pub family: &'static str,
    /// The port.
    pub port: u16,
}

impl AddressInfo {
    pub(crate) fn from_sockaddr(a: std::net::SocketAddr) -> AddressInfo {
        AddressInfo {
            address: a.ip().to_string(),
            family: if a.is_ipv4() { "IPv4" } else { "IPv6" },
            port: a.port(),
        }
    }
}

impl fmt::Display for AddressInfo {
    /// JSON, as `JSON.stringify(server.address())` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{{\"address\":\"{}\",\"family\":\"{}\",\"port\":{}}}",
            self.address, self.family, self.port
        )
    }
}
