//! Five rounds of fifty connects at once (port only, autoSelectFamily false) to a port
//! nothing listens on, each round started by the last error of the one before: every
//! connect fails with ECONNREFUSED and closes, and after the last round nothing keeps the
//! process (test-net-connect-econnrefused).
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use nodenet::net::{self, ConnectOptions, events::*};

use crate::harness::REFUSED_PORT;

const ROUNDS: u32 = 5;
const PER_ROUND: u32 = 50;

#[derive(Default)]
struct Counts {
    round: Cell<u32>,
    closes: Cell<u32>,
    connects: Cell<u32>,
}

fn pummel(k: Rc<Counts>) {
    k.round.set(k.round.get() + 1);
    let pending = Rc::new(Cell::new(PER_ROUND));
    let codes = Rc::new(RefCell::new(BTreeMap::<String, u32>::new()));
    for _ in 0..PER_ROUND {
        let c = net::connect(ConnectOptions {
            port: REFUSED_PORT,
            auto_select_family: false,
            ..Default::default()
        });
        let k1 = k.clone();
        c.on(Connect, move |_| k1.connects.set(k1.connects.get() + 1));
        let k2 = k.clone();
        c.on(Close, move |_| k2.closes.set(k2.closes.get() + 1));
        let (k, pending, codes) = (k.clone(), pending.clone(), codes.clone());
        c.on(Error, move |e| {
            let first = e.errors().first().unwrap_or(&e);
            *codes
                .borrow_mut()
                .entry(first.code().to_string())
                .or_default() += 1;
            pending.set(pending.get() - 1);
            if pending.get() > 0 {
                return;
            }
            // As JSON.stringify prints the JS twin's object of counts.
            let json: Vec<String> = codes
                .borrow()
                .iter()
                .map(|(code, n)| format!("\"{code}\":{n}"))
                .collect();
            out!("round {} {{{}}}", k.round.get(), json.join(","));
            if k.round.get() < ROUNDS {
                pummel(k.clone());
            } else {
                let k = k.clone();
                nodenet::set_timeout(0, move || {
                    out!(
                        "timer: closes {} connects {}",
                        k.closes.get(),
                        k.connects.get()
                    )
                });
            }
        });
    }
}

pub fn scenario() {
    pummel(Rc::new(Counts::default()));
}
