//! The `nodenet` command in the seed's two roles: `serve` talking to putty (`plink -raw`),
//! `nc` and our own `connect`, and `connect` talking to a Node 24 server.

#[allow(dead_code, unused_macros)]
#[path = "parity/harness.rs"]
mod harness;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_nodenet");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Wait until something accepts on `port`.
fn wait_listening(port: u16) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "nothing listens on {port}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let port = free_port();
        let p = port.to_string();
        let child = Command::new(BIN)
            .arg("serve")
            .args(["--port", &p, "--host", "127.0.0.1"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start nodenet serve");
        let s = Server { child, port };
        s.wait_ready();
        s
    }

    /// Wait for the listener, then let the probe connection's close pass.
    fn wait_ready(&self) {
        wait_listening(self.port);
        std::thread::sleep(Duration::from_millis(50));
    }

    /// A client of this server that has read its `hello`.
    fn greeted_client(&self) -> TcpStream {
        let mut c = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        let mut greet = [0u8; 5];
        c.read_exact(&mut greet).expect("greeting");
        assert_eq!(&greet, b"hello");
        c
    }

    /// Stop the server (if still running) and return its stdout.
    fn finish(self) -> (String, Option<std::process::ExitStatus>) {
        let (out, _, status) = self.finish_with_stderr();
        (out, status)
    }

    /// Stop the server (if still running) and return its stdout and stderr.
    fn finish_with_stderr(mut self) -> (String, String, Option<std::process::ExitStatus>) {
        let status = harness::wait_or_kill(&mut self.child, Duration::from_millis(300));
        let (mut out, mut err) = (String::new(), String::new());
        if let Some(mut o) = self.child.stdout.take() {
            let _ = o.read_to_string(&mut out);
        }
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        (out, err, status)
    }
}

fn has(cmd: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {cmd}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Run `sh -c script` with a deadline, returning (status, stdout, stderr).
fn sh(script: &str, deadline: Duration) -> (Option<std::process::ExitStatus>, String, String) {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh");
    let out = harness::slurp(child.stdout.take());
    let err = harness::slurp(child.stderr.take());
    let st = harness::wait_or_kill(&mut child, deadline);
    (
        st,
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    )
}

#[test]
fn serve_greets_each_client_and_prints_what_it_sends() {
    let srv = Server::start(&[]);
    let mut c = srv.greeted_client();
    c.write_all("哈哈\n".as_bytes()).expect("send");
    c.write_all("嘿嘿\n".as_bytes()).expect("send");
    drop(c);
    std::thread::sleep(Duration::from_millis(100));
    let (out, status) = srv.finish();
    assert!(
        status.is_none(),
        "serve keeps running after a client leaves"
    );
    assert!(
        out.contains("哈哈") && out.contains("嘿嘿"),
        "stdout was {out:?}"
    );
}

#[test]
fn nc_and_plink_talk_to_serve_as_putty_does_in_the_tutorial() {
    for (tool, cmd) in [
        ("nc", "nc -q1 127.0.0.1 {port}"),
        ("plink", "plink -raw -P {port} 127.0.0.1"),
    ] {
        if !has(tool) {
            eprintln!(
                "skipping {tool}: not installed (apt-get install netcat-openbsd putty-tools)"
            );
            continue;
        }
        let srv = Server::start(&[]);
        let script = format!(
            "(printf 'from-{tool}\\n'; sleep 0.4) | {}",
            cmd.replace("{port}", &srv.port.to_string())
        );
        let (_, out, _) = sh(&script, Duration::from_secs(5));
        std::thread::sleep(Duration::from_millis(100));
        let (srv_out, _) = srv.finish();
        assert!(out.starts_with("hello"), "{tool} got {out:?}");
        assert!(
            srv_out.contains(&format!("from-{tool}")),
            "server printed {srv_out:?}"
        );
    }
}

#[test]
fn serve_after_first_message_close_refuses_new_connections_and_exits_when_the_last_leaves() {
    let srv = Server::start(&["--after-first-message", "close"]);
    let mut a = srv.greeted_client();
    a.write_all(b"first").expect("send");
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        TcpStream::connect(("127.0.0.1", srv.port)).is_err(),
        "a closed server refuses connections"
    );
    a.write_all(b"still talking")
        .expect("the open connection carries on");
    std::thread::sleep(Duration::from_millis(100));
    drop(a);
    std::thread::sleep(Duration::from_millis(300));
    let (out, status) = srv.finish();
    assert!(
        status.is_some_and(|s| s.success()),
        "exits once the last client is gone"
    );
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["first", "still talking", "服务器关闭"]
    );
}

#[test]
fn serve_after_first_message_unref_keeps_accepting_and_exits_when_all_clients_leave() {
    let srv = Server::start(&["--after-first-message", "unref"]);
    let mut a = TcpStream::connect(("127.0.0.1", srv.port)).expect("connect");
    let mut g = [0u8; 5];
    a.read_exact(&mut g).expect("greeting");
    a.write_all(b"123").expect("send");
    std::thread::sleep(Duration::from_millis(100));
    let mut b = TcpStream::connect(("127.0.0.1", srv.port)).expect("still accepting");
    b.read_exact(&mut g).expect("greeting");
    b.write_all(b"456").expect("send");
    std::thread::sleep(Duration::from_millis(100));
    drop(a);
    drop(b);
    std::thread::sleep(Duration::from_millis(300));
    let (out, status) = srv.finish();
    assert!(
        status.is_some_and(|s| s.success()),
        "exits once both clients are gone"
    );
    assert_eq!(out.lines().collect::<Vec<_>>(), ["123", "456"]);
}

const NODE_SERVER: &str = r#"
const net = require('net');
const server = net.createServer((s) => {
  s.write('welcome\n');
  s.setEncoding('utf8');
  s.on('data', (d) => { s.end('got ' + d); server.close(); });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
"#;

#[test]
fn connect_talks_to_a_node_server_and_exits_when_it_ends_the_connection() {
    let mut node = Command::new(harness::node())
        .arg("-e")
        .arg(NODE_SERVER)
        .stdout(Stdio::piped())
        .spawn()
        .expect("node");
    let mut line = String::new();
    let mut stdout = node.stdout.take().expect("stdout");
    let mut byte = [0u8; 1];
    while stdout.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
        line.push(byte[0] as char);
    }
    let port: u16 = line.trim().parse().expect("node printed its port");
    let mut client = Command::new(BIN)
        .args(["connect", "127.0.0.1", &port.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nodenet connect");
    let out = harness::slurp(client.stdout.take());
    let mut stdin = client.stdin.take().expect("stdin");
    stdin.write_all(b"ping\n").expect("type a line");
    // stdin stays open: connect must exit because the server ended the connection.
    let st = harness::wait_or_kill(&mut client, Duration::from_secs(3));
    drop(stdin);
    assert!(
        st.is_some_and(|s| s.success()),
        "connect exits 0 when the server ends"
    );
    assert_eq!(out.join().unwrap_or_default(), "welcome\ngot ping\n");
    let _ = harness::wait_or_kill(&mut node, Duration::from_secs(2));
}

#[test]
fn connect_to_a_port_nobody_listens_on_fails_with_econnrefused() {
    // Port 9 (discard): below the ephemeral range, so no other test's socket can be given
    // it, as a port just freed could be.
    let port = 9;
    let (st, _, err) = sh(
        &format!("{BIN} connect 127.0.0.1 {port} </dev/null"),
        Duration::from_secs(5),
    );
    assert_eq!(st.and_then(|s| s.code()), Some(1));
    assert!(
        err.contains(&format!("connect ECONNREFUSED 127.0.0.1:{port}")),
        "stderr: {err}"
    );
}

#[test]
fn a_stdout_closed_early_is_not_a_crash() {
    let srv = Server::start(&["--greeting", &"x".repeat(100_000)]);
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "sleep 1 | {BIN} connect 127.0.0.1 {} | head -c 10 >/dev/null; echo ${{PIPESTATUS[1]}}",
            srv.port
        ))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash");
    let out = harness::slurp(child.stdout.take());
    let err = harness::slurp(child.stderr.take());
    let st = harness::wait_or_kill(&mut child, Duration::from_secs(5));
    let _ = srv.finish();
    let (out, err) = (
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    );
    assert!(st.is_some(), "connect finished");
    assert_eq!(
        out.trim(),
        "0",
        "connect exits 0 when its stdout is gone; stderr: {err}"
    );
    assert!(!err.contains("panicked"), "stderr: {err}");
}

#[test]
fn serve_and_connect_over_a_unix_socket_path() {
    let dir = std::env::temp_dir().join(format!("nodenet-cli-unix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("s.sock");
    let _ = std::fs::remove_file(&path);
    let p = path.to_str().expect("a UTF-8 temp path");
    let mut server = Command::new(BIN)
        .args(["serve", "--path", p])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nodenet serve --path");
    let out = harness::slurp(server.stdout.take());
    let start = Instant::now();
    while std::os::unix::net::UnixStream::connect(&path).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "nothing listens on {p}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let (st, got, err) = sh(
        &format!("(printf 'over unix\\n'; sleep 0.3) | {BIN} connect --path {p}"),
        Duration::from_secs(5),
    );
    std::thread::sleep(Duration::from_millis(100));
    let server_status = harness::wait_or_kill(&mut server, Duration::from_millis(300));
    let out = out.join().unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        st.and_then(|s| s.code()),
        Some(0),
        "connect's stderr: {err}"
    );
    assert_eq!(got, "hello", "connect prints the greeting");
    assert!(
        server_status.is_none(),
        "serve keeps running after its client leaves"
    );
    assert!(out.contains("over unix"), "serve's stdout: {out:?}");
}

#[test]
fn serve_max_connections_drops_the_connection_beyond_the_limit_and_keeps_the_first() {
    let srv = Server::start(&["--max-connections", "1"]);
    let mut first = srv.greeted_client();
    // The second is accepted by the kernel and closed by the server at once, unread.
    let mut second = TcpStream::connect(("127.0.0.1", srv.port)).expect("connect");
    let second_port = second.local_addr().expect("local address").port();
    second
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut rest = Vec::new();
    let r = second.read_to_end(&mut rest);
    assert!(
        r.is_ok()
            || r.as_ref()
                .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
        "the dropped connection ends: {r:?}"
    );
    assert!(
        rest.is_empty(),
        "no greeting for a dropped connection: {rest:?}"
    );
    // The first is still served.
    first.write_all(b"still here\n").expect("send");
    std::thread::sleep(Duration::from_millis(150));
    let (out, err, status) = srv.finish_with_stderr();
    assert!(status.is_none(), "serve keeps running");
    assert!(out.contains("still here"), "stdout: {out:?}");
    assert!(
        err.contains(&format!(
            "dropped a connection from 127.0.0.1:{second_port} (maxConnections 1)"
        )),
        "stderr: {err:?}"
    );
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    for (args, says) in [
        ("connect", "required arguments"),
        ("connect 127.0.0.1", "required arguments"),
        ("connect --path /tmp/x 127.0.0.1 80", "cannot be used with"),
        ("serve --workers 0", "0 is not in 1..=65535"),
        ("serve --path /tmp/x --port 80", "cannot be used with"),
        ("serve --path /tmp/x --workers 2", "cannot be used with"),
        ("serve --port 70000", "invalid value"),
        ("serve --max-connections -1", "unexpected argument"),
    ] {
        let (st, out, err) = sh(&format!("{BIN} {args}"), Duration::from_secs(5));
        assert_eq!(st.and_then(|s| s.code()), Some(2), "{args}: {err}");
        assert!(out.is_empty(), "{args}: stdout {out:?}");
        assert!(err.contains(says), "{args}: stderr {err:?}");
        assert!(!err.contains("panicked"), "{args}: {err}");
    }
}
