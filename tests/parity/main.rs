//! The parity suite: every scenario is written twice, as `js/<name>.js` run by Node 24 and as
//! `scenarios/<name>.rs` run on nodenet; each prints one line per event, and the test asserts
//! that the two traces are equal. `seed.rs` runs the seed's four programs as processes, Node's
//! snippets against our examples, driven by one client.
//!
//! Run with `cargo test --test parity`; set `NODENET_NODE` to use a Node 24 of your own
//! (otherwise one is installed into `.node24` on first use), and `NODENET_PARITY_SHOW=1`
//! (with `-- --nocapture`) to see every pair of traces.
//!
//! To add a scenario: write `js/<name>.js` (it gets `out`, `note` and `portless` from
//! `js/_lib.js`), its twin `scenarios/<name>.rs` with `pub fn scenario()` printing through
//! `out!`/`note!`, and add `<name>` to the list in `scenarios/mod.rs`. Listen on port 0,
//! print no port numbers, and keep lines whose order hinges on the OS (the two ends of one
//! connection) in per-actor `note`s.
//!
//! `COVERAGE.md` sets each of Node's own `test-net-*` tests against the scenario or test
//! that covers its behaviour. Scenarios showing a difference from Node that is not fixed
//! yet are listed under `known_differences!` in `scenarios/mod.rs` (ignored tests).

#[macro_use]
mod harness;
mod fuzz;
mod fuzz_address;
mod fuzz_connect;
mod fuzz_emitter;
mod fuzz_encoding;
mod fuzz_loop;
mod fuzz_pipe;
mod fuzz_server;
mod scenarios;
mod seed;
