//! The loop's phases seen from an I/O callback: next ticks first, then the immediate (check
//! phase), then close (close phase), then a timer already due (timers of the next
//! iteration), then an immediate queued by the close (check of the next iteration), then a
//! later timer.

use nodenet::net::{self, events::*};

use super::slow_util::busy;

pub fn scenario() {
    let server = net::create_server();
    server.on(Connection, move |s| {
        out!("connection");
        nodenet::set_timeout(1, || out!("timeout 1 (due)"));
        busy(5);
        nodenet::set_immediate(|| {
            out!("immediate");
            nodenet::next_tick(|| out!("tick from immediate"));
        });
        nodenet::next_tick(|| out!("next tick"));
        s.destroy();
        s.on(Close, move |_| {
            out!("srvSock close");
            nodenet::set_immediate(|| out!("immediate from close"));
            nodenet::set_timeout(200, move || {
                out!("timeout 200 from close");
                server.close();
            });
        });
        out!("connection listener ends");
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.on(Error, |_| {});
    });
    server.listen((0, "127.0.0.1"));
}
