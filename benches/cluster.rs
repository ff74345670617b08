//! One loop per core against one loop: nodenet's echo server with 1 and with N workers
//! (`nodenet_bench_server MODE PORT N`, SO_REUSEPORT), driven by the same load generator,
//! in two modes:
//!
//! - `echo`: the plain echo (64 B, c50). The load generator needs about as much CPU per
//!   message as the server, so on a machine with no CPU for the load besides the
//!   workers' the rate ratio is bounded by the shared CPU; server CPU per message (from
//!   the threads' schedstat) then says whether the second loop costs extra work.
//! - `work`: the same echo after about 200 µs of CPU work per message in the handler
//!   (`nodenet_bench_server work`). The server, not the load, is then what needs the
//!   CPUs (the load's share is a few percent of the server's), so even on 2 CPUs the rate
//!   ratio shows how much of the second core the second loop puts to use.
//!
//! `cargo bench --bench cluster [-- --secs S --reps R --conns C --modes echo,work]`

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

fn start(dir: &Path, mode: &str, workers: usize, cpus: Option<&str>) -> (Child, u16) {
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
        .args([mode, "0", &workers.to_string()])
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

/// Run the load once; (messages/s, server CPU µs per message, the load generator's CPU
/// share).
fn measure(
    dir: &Path,
    pid: u32,
    port: u16,
    conns: usize,
    secs: f64,
    load_cpu: &str,
) -> (f64, f64, f64) {
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
    (rate, cpu_per, field("load_cpu"))
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
    let modes_arg = std::env::args()
        .skip_while(|a| a != "--modes")
        .nth(1)
        .unwrap_or_else(|| "echo,work".into());
    let modes: Vec<&str> = modes_arg.split(',').collect();
    println!(
        "echo 64 B, c{conns}, {secs} s × {reps} (medians; the two server setups alternate); \
         load generator on CPU 0; {cpus} CPUs\n"
    );
    println!("mode   workers  server CPUs   msg/s      server CPU µs/msg   CPUs busy   load CPU");
    for mode in modes {
        let setups = [(1, "1".to_string()), (workers, many_cpus.clone())];
        let mut rates = vec![Vec::new(); setups.len()];
        let mut cpu = vec![Vec::new(); setups.len()];
        let mut load = vec![Vec::new(); setups.len()];
        for rep in 0..reps {
            // Alternate which setup runs first, so that a slow spell hits both.
            for k in 0..setups.len() {
                let i = if rep % 2 == 0 {
                    k
                } else {
                    setups.len() - 1 - k
                };
                let (w, pin) = &setups[i];
                let (mut child, port) = start(&dir, mode, *w, Some(pin));
                let (r, c, l) = measure(&dir, child.id(), port, conns, secs, "0");
                let _ = child.kill();
                let _ = child.wait();
                rates[i].push(r);
                cpu[i].push(c);
                load[i].push(l);
            }
        }
        let rows: Vec<(usize, &String, f64, f64, f64)> = setups
            .iter()
            .zip(rates.into_iter().zip(cpu).zip(load))
            .map(|((w, pin), ((r, c), l))| (*w, pin, median(r), median(c), median(l)))
            .collect();
        for (w, pin, r, c, l) in &rows {
            // CPUs the server kept busy: messages per second times CPU per message.
            println!(
                "{mode:<6} {w:>7}  {pin:<12} {r:>9.0}  {c:>8.2}   {:>11.2}   {:>3.0}%",
                r * c / 1e6,
                l * 100.0
            );
        }
        let (one, many) = (&rows[0], &rows[1]);
        println!(
            "{mode:<6} {} workers / 1 worker: rate {:.2}x, CPU per message {:.2}x\n",
            many.0,
            many.2 / one.2,
            many.3 / one.3
        );
    }
    if cpus <= workers {
        println!(
            "note: {cpus} CPUs cannot give {workers} workers a CPU each and the load one of its own; \
             the echo rate ratio is bounded by the shared CPU (its CPU per message is the fair \
             figure); the work mode's load takes little of it"
        );
    }
}
