//! nodenet: Node.js's `net` module on a single-threaded mio event loop.
//!
//! The seed's first server, in Rust: greet every client with `hello` and print what it
//! sends.
//!
//! ```no_run
//! use nodenet::net::{self, events::*, Encoding};
//!
//! fn main() -> nodenet::Result<()> {
//!     nodenet::run(|| {
//!         let server = net::create_server();
//!         server.on(Connection, |socket| {
//!             socket.write("hello");
//!             socket.set_encoding(Encoding::Utf8);
//!             socket.on(Data, |data| println!("{data}"));
//!         });
//!         server.listen(3000);
//!     })
//! }
//! ```
//!
//! # A short guide
//! - [`run`] runs the loop on this thread until nothing keeps it alive, as a Node process.
//! - [`net::create_server`] and [`net::connect`] are Node's `net.createServer` and
//!   `net.connect`; [`net::Server`] and [`net::Socket`] are `Copy` handles with Node's
//!   methods in Rust's case (`set_encoding`, `bytes_written`, ...).
//! - Events are typed markers in [`net::events`]: `socket.on(Data, |chunk| ..)`.
//! - Timers: [`set_timeout`], [`set_interval`], [`set_immediate`], [`next_tick`].
//! - Warnings Node's process gives (`MaxListenersExceededWarning`,
//!   `TimeoutOverflowWarning`): [`process::on_warning`]; printed to stderr unless
//!   `NODE_NO_WARNINGS=1`.
//! - Errors are [`Error`], with Node's `code`, `errno`, `syscall`, `address`, `port`.
//! - Cancelling: an [`AbortController`]'s [`AbortSignal`] in the `signal` of
//!   [`net::ListenOptions`], [`net::SocketOptions`] or [`net::ConnectOptions`].
#![deny(missing_docs)]

pub mod abort;
pub mod cluster;
pub mod encoding;
mod error;
mod events;
mod io;
pub mod net;
pub mod process;
pub mod rt;
pub mod stream;

pub use abort::{AbortController, AbortSignal};
pub use error::{Error, Result, errno_name};
pub use rt::{
    Immediate, Remote, Timer, clear_immediate, clear_interval, clear_timeout, next_tick, remote,
    run, set_immediate, set_interval, set_timeout,
};
