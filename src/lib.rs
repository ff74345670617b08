//! nodenet: Node.js's `net` module on a single-threaded mio event loop.
#![deny(missing_docs)]

pub mod encoding;
pub mod stream;
pub mod net;
