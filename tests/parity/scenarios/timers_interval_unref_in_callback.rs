//! An interval that unrefs itself in each run (a port of Node's
//! test-timers-unrefed-in-callback): a listening server keeps the loop, so it goes on
//! running; the first clears itself at its fourth run and closes its server, whose close
//! starts a second that only closes its server at its fourth run: then nothing keeps the
//! loop, and the unref'd interval runs no more.
use std::cell::Cell;
use std::rc::Rc;

use nodenet::{Timer, net};

fn test(k: u32, then: impl FnOnce() + 'static) {
    let server = net::create_server();
    server.listen((0, "127.0.0.1"));
    let mut runs = 0;
    let mut then = Some(then);
    let me: Rc<Cell<Option<Timer>>> = Rc::default();
    let me2 = me.clone();
    me.set(Some(nodenet::set_interval(20, move || {
        let Some(iv) = me2.get() else { return };
        iv.unref();
        runs += 1;
        out!("test {k} interval run {runs}");
        if runs == 4 {
            if k == 1 {
                nodenet::clear_interval(iv);
            }
            let then = then.take();
            server.close_cb(move |_| {
                out!("server {k} closed");
                if let Some(f) = then {
                    f();
                }
            });
        }
    })));
}

pub fn scenario() {
    test(1, || test(2, || {}));
}
