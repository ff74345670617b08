#!/usr/bin/env bash
# Instructions per operation of nodenet and of the raw-mio baseline, counted by valgrind.
#
#   bash benches/instructions.sh            # every row (about two minutes)
#   bash benches/instructions.sh echo64     # only rows whose name contains a word
#
# The user-CPU figures of `cargo bench --bench compare` are samples and move between runs
# on a noisy machine; instruction counts do not. Each server runs under callgrind and the
# project's load generator drives it twice, for 1 s and for 3 s; the row is the difference
# of the two counts over the difference of the two numbers of operations, so the servers'
# start-up and exit are not counted. The count is user-space work only (the kernel's part
# of every system call is not in it), and an instruction is not a unit of time: memory
# stalls and system calls are what the sampled figures add. Needs valgrind
# (`apt-get install valgrind`). Everything runs on loopback and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || {
  echo "instructions.sh: needs valgrind (apt-get install valgrind)" >&2
  exit 1
}
cargo build --quiet --release --example nodenet_bench_server --example raw_mio_server --example loadgen
bin=target/release/examples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure SERVER MODE SECS LOADGEN_ARGS... -> "instructions operations bytes"
measure() {
  local server=$1 mode=$2 secs=$3
  shift 3
  local out="$work/cg.out" log="$work/server.log" port="" res
  rm -f "$out"
  valgrind --tool=callgrind --callgrind-out-file="$out" "$bin/$server" "$mode" 0 >"$log" 2>/dev/null &
  local vpid=$!
  for _ in $(seq 200); do
    port=$(grep -o 'listening [0-9]*' "$log" | awk '{print $2}' || true)
    [ -n "$port" ] && break
    sleep 0.1
  done
  if [ -z "$port" ]; then
    kill "$vpid" 2>/dev/null || true
    echo "instructions.sh: $server did not start" >&2
    exit 1
  fi
  res=$(timeout 60 "$bin/loadgen" "$@" --port "$port" --warmup 0 --secs "$secs" | grep '^result')
  kill -TERM "$vpid" 2>/dev/null || true
  wait "$vpid" 2>/dev/null || true
  local ir
  ir=$(awk '/^(summary|totals):/ {print $2; exit}' "$out")
  echo "$ir $(echo "$res" | grep -o ' ops=[0-9]*' | cut -d= -f2) $(echo "$res" | grep -o ' bytes=[0-9]*' | cut -d= -f2)"
}

# per_op SERVER MODE UNIT LOADGEN_ARGS... -> instructions per operation (UNIT op) or per
# 64 KiB or 1 MiB moved (UNIT 64KiB or MiB), from a short and a long run.
per_op() {
  local server=$1 mode=$2 unit=$3
  shift 3
  local a b
  a=$(measure "$server" "$mode" 1 "$@")
  b=$(measure "$server" "$mode" 3 "$@")
  echo "$a $b" | awk -v unit="$unit" '{
    d = (unit == "64KiB") ? ($6 - $3) / 65536 : (unit == "MiB") ? ($6 - $3) / 1048576 : ($5 - $2)
    if (d <= 0) { print "n/a"; exit }
    printf "%.0f", ($4 - $1) / d
  }'
}

filters=("$@")
wanted() {
  [ ${#filters[@]} -eq 0 ] && return 0
  local f
  for f in "${filters[@]}"; do
    [[ $1 == *"$f"* ]] && return 0
  done
  return 1
}

echo "| cell | unit | nodenet | raw mio | nodenet/raw |"
echo "| --- | --- | ---: | ---: | ---: |"
# name, server mode, unit, load generator arguments
while IFS='|' read -r name mode unit args; do
  wanted "$name" || continue
  # shellcheck disable=SC2086 # the arguments are words on purpose
  nn=$(per_op nodenet_bench_server "$mode" "$unit" $args)
  # shellcheck disable=SC2086
  raw=$(per_op raw_mio_server "$mode" "$unit" $args)
  ratio=$(awk -v a="$nn" -v b="$raw" 'BEGIN { if (b > 0 && a > 0) printf "%.2fx", a / b; else print "n/a" }')
  echo "| $name | instructions per $unit | $nn | $raw | $ratio |"
done <<'ROWS'
echo64-c1|echo|op|echo --conns 1 --size 64
echo64-c50|echo|op|echo --conns 50 --size 64
echo64-c500|echo|op|echo --conns 500 --size 64
echo4k-c50|echo|op|echo --conns 50 --size 4096
echo64-c50-owned|echo-owned|op|echo --conns 50 --size 64
echo4k-c50-owned|echo-owned|op|echo --conns 50 --size 4096
bulk-up|sink|64KiB|bulk-up
bulk-down|source|MiB|bulk-down
churn-c50|echo|op|churn --conns 50
ROWS
