//! pause() and resume() called in sequences while connecting: the last call wins at
//! connect. Clients left resumed (resume; pause, resume; resume, pause, resume) get the
//! server's message and end at once; clients left paused (pause; resume, resume, pause)
//! get nothing (no data, no end) until they resume 100 ms later. Each client is an actor.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::net::{self, events::*};

const MSG: &str = "This was the year he fell to pieces.";

pub fn scenario() {
    let accepted = Rc::new(Cell::new(0));
    let server = net::create_server();
    let a2 = accepted.clone();
    server.on(Connection, move |s| {
        a2.set(a2.get() + 1);
        s.end_with(MSG);
    });
    server.once(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let plans: [(&'static str, &[&str]); 5] = [
            ("client 1 resume", &["resume"]),
            ("client 2 pause,resume", &["pause", "resume"]),
            ("client 3 pause", &["pause"]),
            (
                "client 4 resume,pause,resume",
                &["resume", "pause", "resume"],
            ),
            (
                "client 5 resume,resume,pause",
                &["resume", "resume", "pause"],
            ),
        ];
        let closed = Rc::new(Cell::new(0));
        for (name, plan) in plans {
            let c = net::connect((port, "127.0.0.1"));
            for m in plan {
                if *m == "pause" {
                    c.pause();
                } else {
                    c.resume();
                }
            }
            c.on(Data, move |d| note!(name, "data {}", d.len()));
            c.on(End, move |_| note!(name, "end"));
            let (closed, accepted) = (closed.clone(), accepted.clone());
            c.on(Close, move |h| {
                note!(name, "close {h}");
                closed.set(closed.get() + 1);
                if closed.get() == 5 {
                    out!("accepted {}", accepted.get());
                    server.close();
                }
            });
            nodenet::set_timeout(100, move || {
                note!(name, "at 100 ms {} {}", c.is_paused(), c.readable_length());
                if c.is_paused() {
                    c.resume();
                }
            });
        }
    });
    server.listen((0, "127.0.0.1"));
}
