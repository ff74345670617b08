//! A server that runs out of file descriptors neither spins nor stalls: pending
//! connections are shed with libuv's spare-descriptor trick, and once descriptors free up
//! the server accepts again. Alone in its test binary because it lowers the process's
//! descriptor limit.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nodenet::net::{self, events::*};

fn cpu_seconds() -> f64 {
    // SAFETY: getrusage fills a plain struct we own.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    t(ru.ru_utime) + t(ru.ru_stime)
}

/// The descriptor limit that leaves exactly `free` descriptor numbers unused below it.
fn limit_leaving(free: usize) -> libc::rlim_t {
    let open: std::collections::HashSet<i32> = std::fs::read_dir("/proc/self/fd")
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let mut left = free;
    let mut fd = 0;
    while left > 0 {
        if !open.contains(&fd) {
            left -= 1;
        }
        fd += 1;
    }
    fd as libc::rlim_t
}

const CLIENTS: &str = r#"
import socket, sys, time
port = int(sys.argv[1])
sys.stdin.readline()  # the server's limit is lowered: go
held = []
for i in range(40):
    s = socket.socket(); s.settimeout(2)
    try:
        s.connect(("127.0.0.1", port)); held.append(s)
    except OSError as e:
        print("connect failed", e)
time.sleep(0.8)
greeted = 0
for s in held:
    try:
        if s.recv(2) == b"hi": greeted += 1
    except OSError:
        pass
    s.close()
time.sleep(0.3)
s = socket.socket(); s.settimeout(3); s.connect(("127.0.0.1", port))
print("held", len(held), "greeted", greeted, "after", s.recv(2).decode())
"#;

#[test]
fn a_server_out_of_descriptors_sheds_connections_without_spinning_and_serves_again() {
    let (tx, rx) = mpsc::channel();
    let server_thread = std::thread::spawn(move || {
        nodenet::run(move || {
            let server = net::create_server();
            server.on(Connection, |socket| {
                socket.write("hi");
                socket.on(Error, |_| {});
                socket.on(Data, |_| {});
            });
            server.on(Listening, move |_| {
                let port = server.address().map(|a| a.port()).unwrap_or(0);
                let remote = nodenet::remote().expect("a loop runs");
                let _ = tx.send((port, remote, server));
            });
            server.listen((0, "127.0.0.1"));
        })
    });
    let (port, remote, server) = rx.recv_timeout(Duration::from_secs(5)).expect("listening");
    // The clients start first, so they keep the normal limit.
    let mut clients = Command::new("python3")
        .arg("-c")
        .arg(CLIENTS)
        .arg(port.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs the clients");
    // Leave room for only a handful of accepted sockets.
    let limit = limit_leaving(6);
    let mut old: libc::rlimit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: get/setrlimit on plain structs we own.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut old);
        libc::setrlimit(
            libc::RLIMIT_NOFILE,
            &libc::rlimit {
                rlim_cur: limit,
                rlim_max: old.rlim_max,
            },
        );
    }
    let cpu0 = cpu_seconds();
    let t0 = Instant::now();
    if let Some(mut go) = clients.stdin.take() {
        let _ = go.write_all(b"go\n");
    }
    let out = clients.wait_with_output().expect("clients finish");
    let (cpu, wall) = (cpu_seconds() - cpu0, t0.elapsed().as_secs_f64());
    // SAFETY: restore the limit we read above.
    unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &old) };
    remote.call(move || {
        server.close();
    });
    let r = server_thread.join().expect("server thread");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(r.is_ok(), "loop ended with {r:?}");
    assert!(
        text.contains("after hi"),
        "served again once descriptors freed up: {text:?} {:?}",
        String::from_utf8_lossy(&out.stderr)
    );
    let greeted: usize = text
        .split_whitespace()
        .skip_while(|w| *w != "greeted")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    assert!(greeted < 40, "the limit was really hit: {text}");
    assert!(
        cpu < 0.5 * wall,
        "the loop did not spin: {cpu:.2}s CPU in {wall:.2}s"
    );
}
