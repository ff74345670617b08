//! A connect with no file descriptor left, against Node 24 running the same script
//! (`tests/connect_emfile/twin.js`): with no local address, the socket is made by the
//! connect, which fails after its `connectionAttempt` with EMFILE and a message naming the
//! local side as `undefined:undefined` (Node could not read a name with no socket); with a
//! local address, the bind makes it and fails, with no attempt. Alone in its test binary:
//! it takes every descriptor the process may open.

#[allow(dead_code, unused_macros)]
#[path = "parity/harness.rs"]
mod harness;

use std::fs::File;
use std::process::{Command, Stdio};
use std::time::Duration;

use nodenet::net::{self, ConnectOptions, events::*};

/// nodenet's trace of the twin's scenario, one line per event as the twin prints them.
fn nodenet_trace() -> Vec<String> {
    let lines = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let out = lines.clone();
    let r = nodenet::run(move || {
        let server = net::create_server();
        let log = out.clone();
        server.on(Listening, move |_| {
            let port = server.address().map(|a| a.port()).unwrap_or(0);
            let mut held = Vec::new();
            loop {
                match File::open("/dev/null") {
                    Ok(f) => held.push(f),
                    Err(e) => {
                        let code = if e.raw_os_error() == Some(libc::EMFILE) {
                            "EMFILE".to_string()
                        } else {
                            e.to_string()
                        };
                        log.borrow_mut().push(format!("descriptors taken {code}"));
                        break;
                    }
                }
            }
            let held = std::rc::Rc::new(std::cell::RefCell::new(Some(held)));
            let left = std::rc::Rc::new(std::cell::Cell::new(2));
            for (name, local) in [("plain", None), ("local", Some("127.0.0.1"))] {
                let c = net::connect(ConnectOptions {
                    port,
                    host: "127.0.0.1".into(),
                    local_address: local.map(str::to_string),
                    ..Default::default()
                });
                let l = log.clone();
                c.on(ConnectionAttempt, move |a| {
                    l.borrow_mut().push(format!(
                        "{name} attempt {} {} {}",
                        a.address,
                        a.port == port,
                        a.family
                    ))
                });
                let l = log.clone();
                c.on(ConnectionAttemptFailed, move |a| {
                    let code = a.error.map(|e| e.code().to_string());
                    l.borrow_mut()
                        .push(format!("{name} failed {}", harness::undef(code)))
                });
                let l = log.clone();
                c.on(Error, move |e| {
                    l.borrow_mut().push(format!(
                        "{name} error {} {}",
                        harness::error_fields(&e, port),
                        harness::portless(e.message(), port)
                    ))
                });
                let (l, held, left) = (log.clone(), held.clone(), left.clone());
                c.on(Close, move |h| {
                    l.borrow_mut().push(format!("{name} close {h}"));
                    left.set(left.get() - 1);
                    if left.get() == 0 {
                        drop(held.borrow_mut().take());
                        let l = l.clone();
                        server.close_cb(move |_| l.borrow_mut().push("server close".into()));
                    }
                });
            }
        });
        server.listen((0, "127.0.0.1"));
    });
    let mut v = lines.borrow().clone();
    if let Err(e) = r {
        v.push(format!("uncaught {}", harness::code(&e)));
    }
    v.push("exit".into());
    v
}

#[test]
fn a_connect_with_no_descriptor_left_fails_as_in_node() {
    let node = harness::node();
    let twin = harness::repo().join("tests/connect_emfile/twin.js");
    let mut child = Command::new(node)
        .arg(&twin)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs the twin");
    let stdout = harness::slurp(child.stdout.take());
    let stderr = harness::slurp(child.stderr.take());
    let status = harness::wait_or_kill(&mut child, Duration::from_secs(15));
    let expected: Vec<String> = stdout
        .join()
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    assert!(
        status.is_some(),
        "Node did not finish the twin: {expected:?}"
    );
    assert!(
        expected.iter().any(|l| l.contains("EMFILE")),
        "Node's run hit no EMFILE: {expected:?} {}",
        stderr.join().unwrap_or_default()
    );
    let got = nodenet_trace();
    assert!(
        got == expected,
        "nodenet differs from Node 24\n{}",
        harness::side_by_side(&expected, &got)
    );
}
