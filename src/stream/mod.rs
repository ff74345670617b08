//! Node stream building blocks that know nothing of sockets.

pub mod decoder;
