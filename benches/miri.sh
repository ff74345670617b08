#!/usr/bin/env bash
# The library's unit tests under Miri, the Rust interpreter that checks unsafe code for
# undefined behaviour (use after free, double drops, aliasing violations, leaks).
#
#   bash benches/miri.sh            # Stacked Borrows, then Tree Borrows (a few minutes)
#
# nodenet's unsafe code is in the listener boxes and their per-thread pool
# (src/events/listener.rs), the loop's inline task storage (src/rt/task.rs), the socket
# table's in-place free of a vacated state (src/net/socket.rs) and the system-call
# wrappers (src/io). The unit tests of the first three run under Miri here, the socket
# ones as whole event loops over loopback TCP (Miri runs epoll and socket calls with
# isolation off); a foreign function Miri does not model (if_nametoindex, used by the
# address tests) keeps those tests out. Property tests run 4 cases each (PROPTEST_CASES):
# under the interpreter one case of the decoder's costs about a second. Needs a nightly toolchain with the miri
# component (`rustup component add --toolchain nightly miri rust-src`). Not part of
# `.ci/run`: it downloads a nightly toolchain and takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo +nightly miri --version >/dev/null 2>&1 || {
  echo "miri.sh: needs nightly Miri (rustup component add --toolchain nightly miri rust-src)" >&2
  exit 1
}
export PROPTEST_CASES="${PROPTEST_CASES:-4}"
# Isolation off: the socket-table tests open loopback sockets and read the clock.
for model in "" "-Zmiri-tree-borrows"; do
  echo "== Miri ${model:-(Stacked Borrows)}"
  MIRIFLAGS="-Zmiri-disable-isolation $model" cargo +nightly miri test --lib -- --skip net::address
done
