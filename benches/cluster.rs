//! One loop per core against one loop: nodenet's echo server with 1 and with N workers
//! (`nodenet_bench_server echo PORT N`, SO_REUSEPORT), driven by the same load generator.
//!
//! `cargo bench --bench cluster [-- --secs S --reps R --conns C]`
//!
//! On a machine with more CPUs than the server needs plus one for the load, the rate
//! ratio shows the scaling. On a 2-CPU machine the load generator needs one of the two
//! CPUs, so two workers cannot have a CPU each: the rate says little, and the table shows
//! server CPU per message too (from the threads' schedstat), which says whether the
//! second loop costs extra work per message.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn arg(name: &str, default: f64) -> f64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn examples_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("release/examples")
}

/// On-CPU nanoseconds of all threads of `pid`.
fn cpu_ns(pid: u32) -> u64 {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    dir.flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

fn start(dir: &Path, workers: usize, cpus: Option<&str>) -> (Child, u16) {
    let bin = dir.join("nodenet_bench_server");
    let mut cmd = match cpus {
        Some(c) => {
            let mut t = Command::new("taskset");
            t.args(["-c", c]).arg(&bin);
            t
        }
        None => Command::new(&bin),
    };
    let mut child = cmd
        .args(["echo", "0", &workers.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start nodenet_bench_server (cargo build --release --examples)");
    let mut line = String::new();
    let out = child.stdout.take().expect("stdout");
    BufReader::new(out)
        .read_line(&mut line)
        .expect("listening line");
    let port = line
        .trim()
        .trim_start_matches("listening ")
        .parse()
        .expect("port");
    std::thread::sleep(Duration::from_millis(200));
    (child, port)
}

/// Run the load once; (messages/s, server CPU µs per message).
fn measure(dir: &Path, pid: u32, port: u16, conns: usize, secs: f64, load_cpu: &str) -> (f64, f64) {
    let c0 = cpu_ns(pid);
    let out = Command::new("taskset")
        .args(["-c", load_cpu])
        .arg(dir.join("loadgen"))
        .args([
            "echo",
            "--port",
            &port.to_string(),
            "--conns",
            &conns.to_string(),
        ])
        .args(["--size", "64", "--secs", &secs.to_string(), "--warmup", "0"])
        .output()
        .expect("loadgen");
    let c1 = cpu_ns(pid);
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |k: &str| -> f64 {
        text.split_whitespace()
            .find_map(|w| w.strip_prefix(&format!("{k}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    let ops = field("ops");
    let rate = field("rate");
    let cpu_per = if ops > 0.0 {
        (c1 - c0) as f64 / 1000.0 / ops
    } else {
        0.0
    };
    (rate, cpu_per)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        // `cargo test --all-targets` runs bench targets without --bench: do nothing there.
        return;
    }
    let secs = arg("--secs", 2.0);
    let reps = arg("--reps", 5.0) as usize;
    let conns = arg("--conns", 50.0) as usize;
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let status = Command::new("cargo")
        .args([
            "build",
            "--release",
            "--example",
            "nodenet_bench_server",
            "--example",
            "loadgen",
        ])
        .status();
    assert!(
        status.map(|s| s.success()).unwrap_or(false),
        "cargo build failed"
    );
    let dir = examples_dir();
    let workers = cpus.max(2);
    // The load always runs on CPU 0; one worker gets CPU 1; N workers get every CPU but
    // the load's when there are enough, else all of them (sharing CPU 0 with the load).
    let many_cpus = if cpus > workers {
        format!("1-{workers}")
    } else {
        format!("0-{}", cpus - 1)
    };
    let mut rows = Vec::new();
    for (w, pin) in [(1, "1".to_string()), (workers, many_cpus.clone())] {
        let mut rates = Vec::new();
        let mut cpu = Vec::new();
        for _ in 0..reps {
            let (mut child, port) = start(&dir, w, Some(&pin));
            let (r, c) = measure(&dir, child.id(), port, conns, secs, "0");
            let _ = child.kill();
            let _ = child.wait();
            rates.push(r);
            cpu.push(c);
        }
        rows.push((w, pin, median(rates), median(cpu)));
    }
    println!(
        "echo 64 B, c{conns}, {secs} s × {reps} (medians); load generator on CPU 0; {cpus} CPUs\n"
    );
    println!("workers  server CPUs   msg/s      server CPU µs/msg");
    for (w, pin, r, c) in &rows {
        println!("{w:>7}  {pin:<12} {r:>9.0}  {c:>8.2}");
    }
    let (one, many) = (&rows[0], &rows[1]);
    println!(
        "\n{} workers / 1 worker: rate {:.2}x, CPU per message {:.2}x",
        many.0,
        many.2 / one.2,
        many.3 / one.3
    );
    if cpus <= workers {
        println!(
            "note: {cpus} CPUs cannot give {workers} workers a CPU each and the load one of its own; \
             the rate ratio here is bounded by the shared CPU, CPU per message is the fair figure"
        );
    }
}
