//! The randomized differential test of the event emitter: random scripts of `on`, `once`,
//! `prependListener`, `prependOnceListener`, `removeListener`, `removeAllListeners`,
//! `emit` and `listenerCount` on a socket's `timeout` event, where the listeners
//! themselves add, remove and emit (nested emits to depth 2), each run by
//! `js/fuzz_emitter.js` under Node 24 and by [`driver`] on nodenet; the traces (which
//! listener registration is called, at which depth, in which order, and every count and
//! `emit` return) must be equal. It checks Node's rules: an emit calls the listeners
//! registered when it began, in order, even those removed meanwhile (a once-listener
//! removed before its turn is still called once, one already called is not called again),
//! and none added meanwhile; and the listener limit (2 here): a warning for the add that
//! crosses it, and again only after the event's listeners went down to one. One documented difference is mirrored by the JS driver: a
//! listener is not re-entered (a Rust `FnMut` cannot be), so an emit from inside a
//! listener skips that listener, where Node calls it again.
//!
//! A script is `top;b0;b1;b2;b3` (see the JS driver for the ops). Listeners that register
//! listeners would grow without bound from emit to emit, so both drivers stop registering
//! after [`CAP`] registrations (the op prints `full`).
//! `NODENET_FUZZ_EMITTER_SEED`, `NODENET_FUZZ_EMITTER_CASES` and
//! `NODENET_FUZZ_EMITTER_SCRIPT` choose the scripts (default seed 1, 300 scripts).

use std::cell::RefCell;
use std::rc::Rc;

use nodenet::net::{Socket, SocketOptions, events::ListenerId, events::Timeout};

use crate::harness::{self, Rng, undef};

/// Registrations a script may make; past it a register op only prints `full`.
const CAP: usize = 64;

fn ops(rng: &mut Rng, max: u64) -> String {
    let n = rng.below(max + 1);
    (0..n)
        .map(|_| {
            let k = rng.below(4);
            match rng.below(12) {
                0..=2 => format!("o{k}"),
                3 | 4 => format!("O{k}"),
                5 => format!("p{k}"),
                6 => format!("P{k}"),
                7 | 8 => format!("f{k}"),
                9 => "A".into(),
                10 => "e".into(),
                _ => "c".into(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn generate(rng: &mut Rng) -> String {
    let mut top = ops(rng, 6);
    // Emit at least once, at the end.
    top.push_str(" e e");
    let bodies: Vec<String> = (0..4).map(|_| ops(rng, 3)).collect();
    format!("{top};{}", bodies.join(";"))
}

struct Run {
    socket: Socket,
    bodies: Vec<String>,
    /// Per listener, its live registrations in the order made: (number, id).
    live: [Vec<(usize, ListenerId)>; 4],
    made: usize,
    depth: usize,
}

fn forget(st: &Rc<RefCell<Run>>, k: usize, r: usize) {
    let mut st = st.borrow_mut();
    if let Some(i) = st.live[k].iter().position(|&(n, _)| n == r) {
        st.live[k].remove(i);
    }
}

fn called(st: &Rc<RefCell<Run>>, k: usize, r: usize, once: bool) {
    if once {
        forget(st, k, r);
    }
    let (depth, body) = {
        let s = st.borrow();
        (s.depth, s.bodies.get(k).cloned().unwrap_or_default())
    };
    out!("call {k}.{r} depth {depth}");
    run(st, &body, &format!("  {k}.{r}:"));
}

fn run(st: &Rc<RefCell<Run>>, ops: &str, who: &str) {
    let socket = st.borrow().socket;
    for op in ops.split(' ').filter(|s| !s.is_empty()) {
        let k: usize = op.get(1..).and_then(|n| n.parse().ok()).unwrap_or(0).min(3);
        match op.get(..1).unwrap_or("") {
            kind @ ("o" | "O" | "p" | "P") => {
                if st.borrow().made >= CAP {
                    out!("{who} {op} full");
                    continue;
                }
                let r = {
                    let mut s = st.borrow_mut();
                    s.made += 1;
                    s.made - 1
                };
                let s2 = st.clone();
                let id = match kind {
                    "o" => socket.on(Timeout, move |_| called(&s2, k, r, false)),
                    "p" => socket.prepend_listener(Timeout, move |_| called(&s2, k, r, false)),
                    "O" => socket.once(Timeout, move |_| called(&s2, k, r, true)),
                    _ => socket.prepend_once_listener(Timeout, move |_| called(&s2, k, r, true)),
                };
                st.borrow_mut().live[k].push((r, id));
                out!(
                    "{who} {op} as {k}.{r} count {}",
                    socket.listener_count(Timeout)
                );
            }
            "f" => {
                let last = st.borrow_mut().live[k].pop();
                if let Some((_, id)) = last {
                    socket.off(Timeout, id);
                }
                out!("{who} {op} count {}", socket.listener_count(Timeout));
            }
            "A" => {
                for l in st.borrow_mut().live.iter_mut() {
                    l.clear();
                }
                socket.remove_all_listeners(Timeout);
                out!("{who} A");
            }
            "e" => {
                if st.borrow().depth >= 2 {
                    out!("{who} e skip");
                    continue;
                }
                st.borrow_mut().depth += 1;
                let had = socket.emit(Timeout, ());
                st.borrow_mut().depth -= 1;
                out!("{who} e -> {had}");
            }
            "c" => out!("{who} c {}", socket.listener_count(Timeout)),
            _ => {}
        }
    }
}

fn driver(script: &str) {
    nodenet::process::on_warning(|w| out!("warning {}", undef(w.count)));
    let mut parts = script.split(';');
    let top = parts.next().unwrap_or("").to_string();
    let st = Rc::new(RefCell::new(Run {
        // A limit of 2, as the JS twin sets: its warnings end the trace.
        socket: Socket::new(SocketOptions::default()).set_max_listeners(2),
        bodies: parts.map(str::to_string).collect(),
        live: Default::default(),
        made: 0,
        depth: 0,
    }));
    run(&st, &top, "top");
    let socket = st.borrow().socket;
    socket.destroy();
}

#[test]
fn fuzz_emitter() {
    let scripts = harness::fuzz_scripts("NODENET_FUZZ_EMITTER", 300, &[], generate);
    harness::fuzz("fuzz_emitter", &scripts, driver);
}
