//! Happy eyeballs' per-attempt timeout (`auto_select_family_attempt_timeout`: 100 ms). A
//! listener on 127.0.0.2 that never accepts (here a bare socket; the JS twin's lives in a
//! worker thread blocked in Atomics.wait), with backlog 1 and its accept queue filled by two
//! connections, drops further SYNs: a connect there stalls. A server on 127.0.0.1 has the
//! same port.
//! A. [127.0.0.2, ::1, 127.0.0.1]: the stalled attempt times out (connectionAttemptTimeout),
//!    ::1 is refused, 127.0.0.1 connects.
//! B. [127.0.0.2, ::1]: the timed-out attempt's ETIMEDOUT is in the aggregate error.
//! C. [::1, 127.0.0.2]: the last attempt has no timer; a destroy 200 ms into it cancels it
//!    (connectionAttemptFailed with ECANCELED, in the close phase), then close(false); a
//!    tick the failure's listener queues runs between the two.
//! D. [127.0.0.2] alone: a plain connect, whose destroy emits no attempt failure.
use std::cell::RefCell;
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::rc::Rc;

use nodenet::net::{self, ConnectOptions, Resolver, Server, Socket, events::*};
use socket2::{Domain, Socket as RawSocket, Type};

use super::happy_eyeballs_six::{aggregate, attempted, watch_failures};

/// The stalling listener and the two connections that fill its accept queue.
type Stall = Rc<RefCell<Option<(RawSocket, Vec<TcpStream>)>>>;

fn stall_on(port: u16) -> std::io::Result<(RawSocket, Vec<TcpStream>)> {
    let addr = SocketAddr::from(([127, 0, 0, 2], port));
    let l = RawSocket::new(Domain::IPV4, Type::STREAM, None)?;
    l.bind(&addr.into())?;
    l.listen(1)?;
    let fillers = vec![TcpStream::connect(addr)?, TcpStream::connect(addr)?];
    Ok((l, fillers))
}

fn start(tag: &'static str, port: u16, answers: &'static [&'static str]) -> Socket {
    let lookup = Resolver::new(move |_host, _family| {
        Ok(answers
            .iter()
            .filter_map(|a| a.parse::<IpAddr>().ok())
            .collect())
    });
    let c = net::connect(ConnectOptions {
        lookup: Some(lookup),
        auto_select_family_attempt_timeout: 100,
        ..(port, "example.test").into()
    });
    c.on(ConnectionAttempt, move |a| {
        out!("{tag} attempt {} {}", a.address, a.family)
    });
    watch_failures(tag, c, port);
    c
}

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, |s| {
        s.end_with("hi");
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        match stall_on(port) {
            Ok(stall) => part_a(server, port, Rc::new(RefCell::new(Some(stall)))),
            Err(e) => {
                out!("no stalling listener: {e}");
                server.close();
            }
        }
    });
    server.listen((0, "127.0.0.1"));
}

fn part_a(server: Server, port: u16, stall: Stall) {
    let c = start("A", port, &["127.0.0.2", "::1", "127.0.0.1"]);
    c.on(Connect, move |_| {
        out!(
            "A connect {} {}",
            c.remote_address().unwrap_or_default(),
            attempted(c, port)
        )
    });
    c.on(Data, |d| out!("A data {d}"));
    c.on(Close, move |h| {
        out!("A close {h}");
        part_b(server, port, stall.clone());
    });
}

fn part_b(server: Server, port: u16, stall: Stall) {
    let c = start("B", port, &["127.0.0.2", "::1"]);
    c.on(Error, move |e| aggregate("B", c, port, &e));
    c.on(Close, move |h| {
        out!("B close {h}");
        part_c(server, port, stall.clone());
    });
}

fn part_c(server: Server, port: u16, stall: Stall) {
    let c = start("C", port, &["::1", "127.0.0.2"]);
    c.on(ConnectionAttempt, move |a| {
        if a.address != "127.0.0.2" {
            return;
        }
        nodenet::set_timeout(200, move || {
            out!("C destroy {}", c.connecting());
            c.destroy();
            nodenet::next_tick(|| out!("C tick"));
            nodenet::set_immediate(|| out!("C immediate"));
        });
    });
    // The cancelled attempt's failure and the close are two callbacks of the close phase:
    // a tick queued by the one runs before the other.
    c.on(ConnectionAttemptFailed, |a| {
        if a.address == "127.0.0.2" {
            nodenet::next_tick(|| out!("C tick after the cancelled attempt"));
        }
    });
    c.on(Close, move |h| {
        out!("C close {h} {}", attempted(c, port));
        part_d(server, port, stall.clone());
    });
}

fn part_d(server: Server, port: u16, stall: Stall) {
    let c = start("D", port, &["127.0.0.2"]);
    c.on(ConnectionAttempt, move |_| {
        nodenet::set_timeout(200, move || {
            out!("D destroy {}", c.connecting());
            c.destroy();
        });
    });
    c.on(Close, move |h| {
        out!("D close {h} {}", attempted(c, port));
        drop(stall.borrow_mut().take());
        server.close();
    });
}
