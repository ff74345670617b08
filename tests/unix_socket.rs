//! Unix-domain sockets: listen on a path, connect to it, the file's lifetime, and Node's
//! errors for a missing path and a path in use.

use std::cell::RefCell;
use std::rc::Rc;

use nodenet::net::{self, ConnectOptions, ListenOptions, ServerAddress, events::*};

fn temp_path(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("nodenet-{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&dir);
    dir.to_string_lossy().into_owned()
}

type Log = Rc<RefCell<Vec<String>>>;

#[test]
fn a_unix_server_echoes_and_removes_its_socket_file_on_close() {
    let path = temp_path("echo.sock");
    let log: Log = Rc::new(RefCell::new(Vec::new()));
    let (l, p) = (log.clone(), path.clone());
    nodenet::run(move || {
        let server = net::create_server();
        server.on(Connection, |socket| {
            socket.on(Data, move |chunk| {
                socket.write(chunk);
            });
        });
        let (l2, p2) = (l.clone(), p.clone());
        server.on(Listening, move |_| {
            l2.borrow_mut().push(format!(
                "address is path: {}",
                server.address() == Some(ServerAddress::Path(p2.clone()))
            ));
            l2.borrow_mut().push(format!(
                "file exists: {}",
                std::path::Path::new(&p2).exists()
            ));
            let client = net::connect(ConnectOptions::path(p2.clone()));
            let l3 = l2.clone();
            client.on(Connect, move |_| {
                l3.borrow_mut()
                    .push(format!("remote address: {:?}", client.remote_address()));
                client.write("ping");
            });
            let l4 = l2.clone();
            client.on(Data, move |chunk| {
                l4.borrow_mut().push(format!("echo {chunk}"));
                client.end();
            });
            let l5 = l2.clone();
            let p3 = p2.clone();
            client.on(Close, move |had_error| {
                l5.borrow_mut().push(format!("client close {had_error}"));
                server.close();
                l5.borrow_mut().push(format!(
                    "file after close: {}",
                    std::path::Path::new(&p3).exists()
                ));
            });
        });
        server.listen(ListenOptions::path(p.clone()));
    })
    .expect("run");
    assert_eq!(
        *log.borrow(),
        [
            "address is path: true",
            "file exists: true",
            "remote address: None",
            "echo <Buffer 70 69 6e 67>",
            "client close false",
            "file after close: false",
        ]
    );
}

#[test]
fn connecting_to_a_missing_path_fails_with_enoent_naming_the_path() {
    let path = temp_path("missing.sock");
    let got: Rc<RefCell<Option<nodenet::Error>>> = Rc::new(RefCell::new(None));
    let (g, p) = (got.clone(), path.clone());
    nodenet::run(move || {
        let client = net::connect(ConnectOptions::path(p.clone()));
        client.on(Error, move |e| *g.borrow_mut() = Some(e));
    })
    .expect("run");
    let e = got.borrow_mut().take().expect("an error event");
    assert_eq!(e.code(), "ENOENT");
    assert_eq!(e.syscall(), Some("connect"));
    assert_eq!(e.address(), Some(path.as_str()));
    assert_eq!(e.to_string(), format!("connect ENOENT {path}"));
}

#[test]
fn listening_on_a_path_in_use_fails_with_eaddrinuse_and_no_close() {
    let path = temp_path("inuse.sock");
    let log: Log = Rc::new(RefCell::new(Vec::new()));
    let (l, p) = (log.clone(), path.clone());
    nodenet::run(move || {
        let first = net::create_server();
        let second = net::create_server();
        let l2 = l.clone();
        second.on(Error, move |e| {
            l2.borrow_mut().push(format!("{}: {}", e.code(), e));
            first.close();
        });
        let l3 = l.clone();
        second.on(Close, move |_| l3.borrow_mut().push("second close".into()));
        let p2 = p.clone();
        first.on(Listening, move |_| {
            second.listen(ListenOptions::path(p2.clone()));
        });
        first.listen(ListenOptions::path(p.clone()));
    })
    .expect("run");
    assert_eq!(
        *log.borrow(),
        [format!(
            "EADDRINUSE: listen EADDRINUSE: address already in use {path}"
        )]
    );
}
