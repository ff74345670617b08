//! When the run ends: an unref'd server does not hold it (exit right after the 50 ms timer),
//! unref then ref does (until closed at 100 ms), and an unref'd timer never fires.
use nodenet::net::{self, events::*};

pub fn scenario() {
    let a = net::create_server();
    a.on(Listening, |_| out!("a listening"));
    a.listen((0, "127.0.0.1"));
    a.unref();

    let b = net::create_server();
    b.unref();
    b.on(Listening, |_| out!("b listening"));
    b.listen((0, "127.0.0.1"));
    b.ref_();

    nodenet::set_timeout(50, || out!("timer 50"));
    nodenet::set_timeout(100, move || {
        out!("timer 100; closing b");
        b.close_cb(|_| out!("b closed"));
    });
    nodenet::set_timeout(200, || out!("unref timer 200 (never)")).unref();
}
