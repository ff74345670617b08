//! The public API, named after Node's `net` module.

pub mod address;
pub mod blocklist;
