//! The parity suite: every scenario is written twice, as `js/<name>.js` run by Node 24 and as
//! `scenarios/<name>.rs` run on nodenet; each prints one line per event, and the test asserts
//! that the two traces are equal. `seed.rs` runs the seed's four programs as processes, Node's
//! snippets against our examples, driven by one client.
//!
//! Run with `cargo test --test parity`; set `NODENET_NODE` to use a Node 24 of your own.

#[macro_use]
mod harness;
mod scenarios;
mod seed;
