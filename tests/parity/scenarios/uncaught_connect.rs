//! ECONNREFUSED with no error listener is an uncaught exception; close comes too late to run.
use nodenet::net::{self, events::*};

use crate::harness::REFUSED_PORT;

pub fn scenario() {
    let c = net::connect((REFUSED_PORT, "127.0.0.1"));
    c.on(Close, |_| out!("close (never)"));
}
