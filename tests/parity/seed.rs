//! The seed's four programs as processes: each Node snippet (`seed/<name>.js`, the tutorial's
//! code with the port taken from argv) and the matching `examples/seed_<name>.rs`, driven by
//! the same client script, must print the same lines, accept or refuse the same connections
//! and exit at the same moment.
//!
//! The client script, as the tutorial does it with putty: client A connects, reads the
//! greeting and sends `哈哈`; then client B connects, reads the greeting and sends `嘿嘿`;
//! then both close. Observed: what each client receives, whether B is accepted, whether the
//! server still runs before the clients close, and whether it exits soon after.
//!
//! Timing: the script waits for what it can see (the greeting's first bytes, the server's
//! next line of output) with generous limits, and only then for a short settle time, so a
//! loaded machine (a parallel test run, CI) slows the test down instead of changing what it
//! observes. The fixed windows it had before (300 ms for a greeting, 200 ms for the server
//! to act) failed now and then under load.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::harness::{node, repo, side_by_side, slurp, wait_or_kill};

/// How long the script waits for the server's next line of output after a client sent
/// something (a server that prints nothing for it costs the whole wait).
const OUTPUT: Duration = Duration::from_millis(1500);
/// How long the server gets to act on a message once its output came (or did not).
const SETTLE: Duration = Duration::from_millis(200);
/// How long a client waits for a greeting's first bytes.
const GREETING: Duration = Duration::from_secs(1);
/// How long a greeting may go on after its first bytes.
const GREETING_QUIET: Duration = Duration::from_millis(150);
/// How soon after the last client closed an exit counts as "at once".
const EXIT_WITHIN: Duration = Duration::from_secs(2);

const SEEDS: [&str; 4] = ["hello", "greet", "close", "unref"];

/// Build the four seed examples once (same target dir and profile as this test) and return
/// the directory holding them.
fn examples_dir() -> &'static PathBuf {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let r = DIR.get_or_init(|| {
        // This test runs as <target>/<profile>/deps/parity-<hash>.
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let profile_dir = exe
            .parent()
            .and_then(|d| d.parent())
            .ok_or("unexpected test binary location")?;
        let target = profile_dir.parent().ok_or("unexpected target layout")?;
        let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => "dev".to_string(),
            Some(p) => p.to_string(),
        };
        let mut cmd = Command::new(env!("CARGO"));
        cmd.current_dir(repo())
            .args(["build", "--quiet", "--profile", &profile, "--target-dir"])
            .arg(target);
        for s in SEEDS {
            cmd.args(["--example", &format!("seed_{s}")]);
        }
        let out = cmd.output().map_err(|e| format!("cannot run cargo: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "cargo build of the seed examples failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(profile_dir.join("examples"))
    });
    match r {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    }
}

/// A port free right now, below the ephemeral range (32768 and up on Linux), so that no
/// `listen(0)` or client socket of a test running alongside takes it before the server
/// binds it.
fn free_port() -> u16 {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let base = std::process::id() * 37;
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let port = 20000 + ((base + n * 7) % 12000) as u16;
        let free = TcpListener::bind((Ipv6Addr::UNSPECIFIED, port))
            .or_else(|_| TcpListener::bind((Ipv4Addr::UNSPECIFIED, port)))
            .is_ok();
        if free {
            return port;
        }
    }
}

/// Connect, retrying while the server is still starting (and still running).
fn connect_retry(addr: SocketAddr, server: &mut Child, deadline: Duration) -> Option<TcpStream> {
    let start = Instant::now();
    loop {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
            Ok(s) => return Some(s),
            Err(_) if start.elapsed() > deadline => return None,
            Err(_) if matches!(server.try_wait(), Ok(Some(_))) => return None,
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// The first client's connection, checked to be alive. Under the parity suite's parallel
/// load (126 tests on 2 CPUs) the Node side of a seed test failed in about one suite run in
/// four: its first client's connect succeeded while `ss`, run right after it, showed no
/// listener on the port; nothing reached the server's code, the connection was found reset
/// a second later, and a later client was served. Not understood. With a 30 ms pause after
/// the connect and a reconnect if the connection is gone by then, 14 suite runs in a row
/// passed, and the reconnect was not taken in the 6 of them that reported it: the pause
/// itself is what changed the outcome there.
fn connect_live(addr: SocketAddr, server: &mut Child) -> Option<TcpStream> {
    for _ in 0..5 {
        let a = connect_retry(addr, server, Duration::from_secs(10))?;
        std::thread::sleep(Duration::from_millis(30));
        if a.peer_addr().is_ok() {
            return Some(a);
        }
    }
    None
}

/// What arrives within `GREETING`, and then until `GREETING_QUIET` passes with nothing.
fn greeting(s: &mut TcpStream) -> String {
    let _ = s.set_read_timeout(Some(GREETING));
    let mut got = Vec::new();
    let mut buf = [0u8; 64];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                got.extend_from_slice(&buf[..n]);
                let _ = s.set_read_timeout(Some(GREETING_QUIET));
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => break,
            Err(_) => break,
        }
    }
    if got.is_empty() {
        "(nothing)".into()
    } else {
        format!("{:?}", String::from_utf8_lossy(&got))
    }
}

/// Run one server program under the client script; the observations, one per line. A
/// server that dies before accepting (its port taken after all) is tried on another port.
fn drive(make: impl Fn() -> Command) -> Vec<String> {
    for _ in 0..3 {
        if let Some(trace) = drive_once(make()) {
            return trace;
        }
    }
    drive_once(make()).unwrap_or_else(|| vec!["the server never started".to_string()])
}

/// A server's standard output, line by line as it comes.
struct Output {
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
    reader: std::thread::JoinHandle<()>,
}

impl Output {
    fn new(pipe: Option<impl Read + Send + 'static>) -> Output {
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            let Some(pipe) = pipe else { return };
            let mut r = BufReader::new(pipe);
            let mut line = Vec::new();
            while matches!(r.read_until(b'\n', &mut line), Ok(n) if n > 0) {
                let text = String::from_utf8_lossy(&line);
                let _ = tx.send(text.trim_end_matches(['\n', '\r']).to_string());
                line.clear();
            }
        });
        Output {
            lines: rx,
            seen: Vec::new(),
            reader,
        }
    }

    /// Wait up to `limit` for the next line.
    fn wait_line(&mut self, limit: Duration) {
        if let Ok(l) = self.lines.recv_timeout(limit) {
            self.seen.push(l);
        }
    }

    /// Every line, once the server has exited (or was killed).
    fn finish(mut self) -> Vec<String> {
        let _ = self.reader.join();
        self.seen.extend(self.lines.try_iter());
        self.seen
    }
}

/// One run; `None` when the server exited before accepting a connection.
fn drive_once(mut cmd: Command) -> Option<Vec<String>> {
    let port = free_port();
    let mut child = cmd
        .arg(port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the server program");
    let mut stdout = Output::new(child.stdout.take());
    let stderr = slurp(child.stderr.take());
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut trace = Vec::new();

    let a = connect_live(addr, &mut child);
    let b = match a {
        None => {
            if matches!(child.try_wait(), Ok(Some(_))) {
                return None;
            }
            trace.push("A: the server never accepted a connection".to_string());
            None
        }
        Some(mut a) => {
            trace.push(format!("A receives {}", greeting(&mut a)));
            let _ = a.write_all("哈哈".as_bytes());
            stdout.wait_line(OUTPUT);
            std::thread::sleep(SETTLE);
            let b = match TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
                Ok(mut b) => {
                    trace.push("B accepted".to_string());
                    trace.push(format!("B receives {}", greeting(&mut b)));
                    let _ = b.write_all("嘿嘿".as_bytes());
                    stdout.wait_line(OUTPUT);
                    std::thread::sleep(SETTLE);
                    Some(b)
                }
                Err(e) => {
                    trace.push(format!("B refused ({:?})", e.kind()));
                    None
                }
            };
            let running = matches!(child.try_wait(), Ok(None));
            trace.push(format!("running before the clients close: {running}"));
            drop(a);
            b
        }
    };
    drop(b);
    match wait_or_kill(&mut child, EXIT_WITHIN) {
        Some(st) => trace.push(format!(
            "exits within {} s after the last client closed, code {:?}",
            EXIT_WITHIN.as_secs(),
            st.code()
        )),
        None => trace.push(format!(
            "still running {} s after the last client closed",
            EXIT_WITHIN.as_secs()
        )),
    }
    trace.extend(stdout.finish().iter().map(|l| format!("stdout: {l}")));
    let err = stderr.join().unwrap_or_default();
    trace.extend(err.lines().map(|l| format!("stderr: {l}")));
    Some(trace)
}

fn check_seed(name: &str) {
    let examples = examples_dir();
    let script = crate::harness::dir().join(format!("seed/{name}.js"));
    let node_thread = std::thread::spawn(move || {
        drive(|| {
            let mut js = Command::new(node());
            js.arg(&script);
            js
        })
    });
    let ours = drive(|| Command::new(examples.join(format!("seed_{name}"))));
    let theirs = node_thread.join().expect("node driver");
    if std::env::var_os("NODENET_PARITY_SHOW").is_some() {
        eprintln!(
            "seed `{name}` (Node 24 | nodenet)\n{}",
            side_by_side(&theirs, &ours)
        );
    }
    if ours != theirs {
        panic!(
            "seed `{name}`: the Node snippet and examples/seed_{name}.rs differ (Node 24 | nodenet)\n{}",
            side_by_side(&theirs, &ours)
        );
    }
}

#[test]
fn seed_hello_process() {
    check_seed("hello");
}

#[test]
fn seed_greet_process() {
    check_seed("greet");
}

#[test]
fn seed_close_process() {
    check_seed("close");
}

#[test]
fn seed_unref_process() {
    check_seed("unref");
}
