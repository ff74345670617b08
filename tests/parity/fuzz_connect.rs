//! The listen-and-connect randomized differential test: random scripts of two servers
//! listening on the loopbacks, the any-addresses and `localhost` (now and then on each
//! other's port), and of clients connecting to them by address or by name, with a family
//! and with or without happy eyeballs, each run by the JS driver `js/fuzz_connect.js` under
//! Node 24 and by [`driver`] on nodenet; the two traces must be equal.
//!
//! A script is one line of text: a head, `k<x>`, with the block list of server 1 (`4`: it
//! blocks `127.0.0.1`, `6`: `::1`, `-`: none), then steps separated by `|`, each a list of
//! operations separated by spaces. Step 0 runs at once, every later step 30 ms after the
//! one before. Hosts are one letter: `4` `127.0.0.1`, `6` `::1`, `z` `0.0.0.0`, `Z` `::`,
//! `l` `localhost`, `a` none (a server's listen on the any-address, a client's default host),
//! and for clients `b` and `B`, names a lookup of the client's own answers with `::1,
//! 127.0.0.1` and with `127.0.0.1, ::1` (filtered by the family asked for; none left is
//! ENOTFOUND), after a turn of the loop. Operations: `L<k><h>` server k listens on port 0
//! at host h (`ipv6Only: true` with a `v` after it); `P<k><h>` it listens on the port the
//! other server last listened on (`none` if it never did); `C<k>` close(callback); `A<k>`
//! address(); `n<k><h><f><s><l><x>` a new client connects to server k's port (the refused
//! port when it has none) at host h with family f (`0`, `4`, `6`), autoSelectFamily s
//! (`t`, `f`, `d` for the default), localAddress l (`4`, `6`, `-` for none; `P`: no
//! address, and the port the other server last listened on as localPort) and the block
//! list x (as the head's); `c<j>` with `d`, `e` or `w` destroys, ends or writes to client
//! j.
//!
//! Traced in order: each operation with what it returned (a listen: the address right
//! after the call; an operation on a client: its readyState, pending and connecting).
//! Each server's events (`listening` with its address, `error` with its fields and
//! message, `close`, the close callback, `connection` with the peer's address and family
//! and the local address) go to a note of its own, as do each client's (`lookup`, the
//! attempts, `connect` with the addresses, families and the attempted addresses,
//! `ready`, `error`, `close`). Ports are printed by name: `S0`/`S1` for the server that
//! first listened on it (or whose address a client took first, for a server closed before
//! its `listening`), `R` for the refused port, `other` else; so are the ports in messages
//! and attempted addresses.
//!
//! Kept deterministic by the generator and the harness:
//! - at most one client a step, so connections reach a server in the order they were made;
//! - no client and listen on `localhost` in one step: the listen's lookup (on the system's
//!   resolver) and the client's connect race;
//! - no listen of a server in the step that closed it: Node emits a server's `close` once
//!   its connections are gone and it has no handle, so a listen made before the last one
//!   ends (a `localhost` one once its lookup answers) takes the `close` away, as the
//!   connection's end and the lookup race;
//! - the Node run and the nodenet run of a script take turns (`fuzz_one_at_a_time`): a
//!   client connects to its server's port on an address the server may not listen on,
//!   where the other run's server, given the same port there, would answer;
//! - no operation on a client in the step that made it when it looks its name up with the
//!   system's resolver (`l`, `a`): destroyed then, a client whose lookup gives one address
//!   still emits `lookup` in Node, before or after its `close` as the resolver's thread
//!   and the loop race (scenario `lookup_after_destroy`). The `b` and `B` lookups answer
//!   on the loop, so a destroy before their answer stays in.
//!
//! `NODENET_FUZZ_CONNECT_CASES` (default 24) and `NODENET_FUZZ_CONNECT_SEED` (default 1)
//! choose the scripts; `NODENET_FUZZ_CONNECT_SCRIPT` runs one script given as text;
//! `NODENET_FUZZ_NODE_ONLY=1` runs each script twice under Node and compares Node with
//! itself.

use std::cell::RefCell;
use std::net::IpAddr;
use std::rc::Rc;

use nodenet::net::{
    self, ConnectOptions, ListenOptions, Resolver, ServerOptions, Socket, events::*,
};

use crate::harness::{self, REFUSED_PORT, Rng};

/// The time between two steps, as in the JS driver.
const STEP_MS: u64 = 30;

/// The most clients a script makes (their index is one digit).
const MAX_CLIENTS: u64 = 8;

/// A random script (see the module's docs).
fn generate(rng: &mut Rng) -> String {
    // S1's block list.
    let mut s = format!("k{}", rng.pick(&[(4, "-"), (1, "4"), (1, "6")]));
    let steps = 3 + rng.below(8);
    let mut clients = 0u64;
    let host = |rng: &mut Rng, client: bool| {
        if client {
            rng.pick(&[
                (3, "4"),
                (3, "6"),
                (1, "z"),
                (1, "Z"),
                (2, "l"),
                (1, "a"),
                (2, "b"),
                (2, "B"),
            ])
        } else {
            rng.pick(&[(3, "4"), (3, "6"), (2, "a"), (1, "z"), (1, "l")])
        }
    };
    for i in 0..steps {
        let n = 1 + rng.below(4);
        let mut ops: Vec<String> = Vec::new();
        let mut made = false;
        // The client made in this step looks a name up with the system's resolver: see
        // the module's docs.
        let mut resolving = None;
        // The servers closed in this step: see the module's docs.
        let mut closed = [false; 2];
        if i == 0 {
            ops.push(format!("L0{}", host(rng, false)));
        }
        for _ in 0..n {
            let k = rng.below(2);
            let tok = match rng.pick(&[(3, "L"), (2, "P"), (1, "C"), (1, "A"), (5, "n"), (2, "c")])
            {
                "L" | "P" if closed[k as usize] => continue,
                o @ ("L" | "P") => {
                    let h = host(rng, false);
                    if h == "l" && made {
                        continue;
                    }
                    // ipv6Only, now and then, where it means something.
                    let v = if matches!(h, "a" | "6") && rng.below(3) == 0 {
                        "v"
                    } else {
                        ""
                    };
                    format!("{o}{k}{h}{v}")
                }
                "C" => {
                    closed[k as usize] = true;
                    format!("C{k}")
                }
                "A" => format!("A{k}"),
                "n" if !made && clients < MAX_CLIENTS && !ops.iter().any(|o| o.ends_with('l')) => {
                    made = true;
                    clients += 1;
                    let f = rng.pick(&[(3, "0"), (1, "4"), (1, "6")]);
                    let a = rng.pick(&[(1, "t"), (1, "f"), (2, "d")]);
                    let l = rng.pick(&[(8, "-"), (1, "4"), (1, "6"), (1, "P")]);
                    let x = rng.pick(&[(6, "-"), (1, "4"), (1, "6")]);
                    let h = host(rng, true);
                    if matches!(h, "l" | "a") {
                        resolving = Some(clients - 1);
                    }
                    format!("n{k}{h}{f}{a}{l}{x}")
                }
                "c" if clients > 0 => {
                    let j = rng.below(clients);
                    if resolving == Some(j) {
                        continue;
                    }
                    format!("c{j}{}", rng.pick(&[(2, "d"), (1, "e"), (1, "w")]))
                }
                _ => continue,
            };
            ops.push(tok);
        }
        s.push('|');
        s.push_str(&ops.join(" "));
    }
    s
}

/// Port names, in the order they were given (see the module's docs).
#[derive(Default)]
struct Names(RefCell<Vec<(u16, String)>>);

impl Names {
    /// Name `port` `name`, unless it has a name.
    fn give(&self, port: u16, name: &str) {
        let mut v = self.0.borrow_mut();
        if !v.iter().any(|(q, _)| *q == port) {
            v.push((port, name.to_string()));
        }
    }

    fn name(&self, port: Option<u16>) -> String {
        let Some(p) = port else {
            return "undefined".into();
        };
        self.0
            .borrow()
            .iter()
            .find(|(q, _)| *q == p)
            .map_or_else(|| "other".into(), |(_, n)| n.clone())
    }

    /// `m` with every named port (`:<port>` not followed by a digit) replaced by its name.
    fn portless(&self, m: &str) -> String {
        let mut s = m.to_string();
        for (p, n) in self.0.borrow().iter() {
            let pat = format!(":{p}");
            let mut out = String::new();
            let mut rest = s.as_str();
            while let Some(i) = rest.find(&pat) {
                let after = &rest[i + pat.len()..];
                out.push_str(&rest[..i]);
                if after.starts_with(|c: char| c.is_ascii_digit()) {
                    out.push_str(&pat);
                } else {
                    out.push(':');
                    out.push_str(n);
                }
                rest = after;
            }
            out.push_str(rest);
            s = out;
        }
        s
    }

    fn error(&self, e: &nodenet::Error) -> String {
        let mut line = format!(
            "{} {} {} {} {}",
            e.code(),
            harness::undef(e.syscall()),
            harness::undef(e.address()),
            self.name(e.port()),
            self.portless(e.message())
        );
        for x in e.errors() {
            line.push_str(&format!(
                " [{} {} {} {}]",
                x.code(),
                harness::undef(x.syscall()),
                harness::undef(x.address()),
                self.name(x.port())
            ));
        }
        line
    }

    /// An attempt event's `ip port family`, its port by name.
    fn attempt(&self, a: &net::AttemptInfo) -> String {
        format!("{} {} {}", a.address, self.name(Some(a.port)), a.family)
    }

    fn address(&self, a: Option<net::ServerAddress>) -> String {
        match a {
            Some(net::ServerAddress::Inet(a)) => {
                format!("{} {} {}", a.address, a.family, self.name(Some(a.port)))
            }
            Some(other) => other.to_string(),
            None => "null".into(),
        }
    }
}

struct Srv {
    s: net::Server,
    /// The port of its last `listening`.
    last: std::cell::Cell<Option<u16>>,
    accepted: RefCell<Vec<Socket>>,
}

struct World {
    names: Rc<Names>,
    servers: [Rc<Srv>; 2],
    clients: RefCell<Vec<Socket>>,
}

fn host_of(h: char) -> Option<&'static str> {
    match h {
        '4' => Some("127.0.0.1"),
        '6' => Some("::1"),
        'z' => Some("0.0.0.0"),
        'Z' => Some("::"),
        'l' => Some("localhost"),
        'b' => Some("both.test"),
        'B' => Some("four.test"),
        _ => None,
    }
}

/// A block list of the loopback of family `f` (`4` or `6`), or none (`-`).
fn block_list(f: u8) -> Option<Rc<net::BlockList>> {
    let (ip, family) = match f {
        b'4' => ("127.0.0.1", net::Family::Ipv4),
        b'6' => ("::1", net::Family::Ipv6),
        _ => return None,
    };
    let mut bl = net::BlockList::new();
    bl.add_address(ip, family).ok()?;
    Some(Rc::new(bl))
}

/// The lookup of the `b` and `B` names: `answers` filtered by the family asked for, after
/// a turn of the loop (the JS driver's `setImmediate`).
fn resolver(answers: &'static [&'static str]) -> Resolver {
    Resolver::with_callback(move |host, family, callback| {
        let host = host.to_string();
        nodenet::set_immediate(move || {
            let ips: Vec<IpAddr> = answers
                .iter()
                .filter_map(|a| a.parse::<IpAddr>().ok())
                .filter(|ip| match family {
                    4 => ip.is_ipv4(),
                    6 => ip.is_ipv6(),
                    _ => true,
                })
                .collect();
            if ips.is_empty() {
                callback.answer(Err(nodenet::Error::lookup("ENOTFOUND", -3008, &host)));
            } else {
                callback.answer(Ok(ips));
            }
        });
    })
}

fn server(names: &Rc<Names>, k: usize, block: u8) -> Rc<Srv> {
    let s = net::create_server_with(ServerOptions {
        block_list: block_list(block),
        ..Default::default()
    });
    let srv = Rc::new(Srv {
        s,
        last: Default::default(),
        accepted: RefCell::default(),
    });
    let name = format!("S{k}");
    let (n, x, nm) = (names.clone(), srv.clone(), name.clone());
    s.on(Listening, move |_| {
        let a = x.s.address();
        if let Some(p) = a.as_ref().map(|a| a.port()) {
            x.last.set(Some(p));
            n.give(p, &nm);
        }
        note!(&nm, "listening {}", n.address(a));
    });
    let (n, nm) = (names.clone(), name.clone());
    s.on(Error, move |e| note!(&nm, "error {}", n.error(&e)));
    let nm = name.clone();
    s.on(Close, move |_| note!(&nm, "close"));
    let x = srv.clone();
    s.on(Connection, move |c| {
        x.accepted.borrow_mut().push(c);
        note!(
            &name,
            "connection {} {} {}",
            harness::undef(c.remote_address()),
            harness::undef(c.remote_family()),
            harness::undef(c.local_address())
        );
        c.on(Error, |_| {});
    });
    srv
}

impl World {
    fn new_client(&self, tok: &str) -> String {
        let b = tok.as_bytes();
        let k = self.clients.borrow().len();
        let srv = &self.servers[usize::from(b[1] - b'0')];
        let port = srv.s.address().map_or(REFUSED_PORT, |a| a.port());
        // A server closed before its `listening` still had an address.
        self.names.give(port, &format!("S{}", char::from(b[1])));
        let h = char::from(b[2]);
        let mut opts = ConnectOptions {
            port,
            family: b[3] - b'0',
            ..Default::default()
        };
        if let Some(host) = host_of(h) {
            opts.host = host.into();
        }
        match h {
            'b' => opts.lookup = Some(resolver(&["::1", "127.0.0.1"])),
            'B' => opts.lookup = Some(resolver(&["127.0.0.1", "::1"])),
            _ => {}
        }
        match b[4] {
            b't' => opts.auto_select_family = true,
            b'f' => opts.auto_select_family = false,
            _ => {}
        }
        if b[5] == b'P' {
            // The other server's port, as the local port: bound when that server holds it
            // on the address the client binds.
            opts.local_port = self.servers[usize::from(b'1' - b[1])].last.get();
        } else {
            opts.local_address = host_of(char::from(b[5])).map(String::from);
        }
        opts.block_list = block_list(b[6]);
        let c = match net::try_connect(opts) {
            Ok(c) => c,
            Err(e) => return format!("throws {}", e.code()),
        };
        self.clients.borrow_mut().push(c);
        let name = format!("c{k}");
        let nm = name.clone();
        c.on(Lookup, move |l| {
            note!(
                &nm,
                "lookup {} {} {} {}",
                harness::null(l.error.map(|e| e.code().to_string())),
                harness::undef(l.address),
                harness::undef(l.family),
                l.host
            )
        });
        let (n, nm) = (self.names.clone(), name.clone());
        c.on(ConnectionAttempt, move |a| {
            note!(&nm, "attempt {}", n.attempt(&a))
        });
        let (n, nm) = (self.names.clone(), name.clone());
        c.on(ConnectionAttemptFailed, move |a| {
            note!(
                &nm,
                "attempt failed {} {}",
                n.attempt(&a),
                harness::undef(a.error.as_ref().map(|e| e.code().to_string()))
            )
        });
        let (n, nm) = (self.names.clone(), name.clone());
        c.on(ConnectionAttemptTimeout, move |a| {
            note!(&nm, "attempt timeout {}", n.attempt(&a))
        });
        let (n, nm) = (self.names.clone(), name.clone());
        c.on(Connect, move |_| {
            let tried = c.auto_select_family_attempted_addresses().map_or_else(
                || "undefined".into(),
                |v| {
                    v.iter()
                        .map(|a| n.portless(a))
                        .collect::<Vec<_>>()
                        .join(",")
                },
            );
            note!(
                &nm,
                "connect {} {} {} {} {} {}",
                harness::undef(c.remote_address()),
                harness::undef(c.remote_family()),
                n.name(c.remote_port()),
                harness::undef(c.local_address()),
                harness::undef(c.local_family()),
                tried
            );
        });
        let nm = name.clone();
        c.on(Ready, move |_| note!(&nm, "ready"));
        let (n, nm) = (self.names.clone(), name.clone());
        c.on(Error, move |e| note!(&nm, "error {}", n.error(&e)));
        let nm = name.clone();
        c.on(Close, move |h| note!(&nm, "close {h}"));
        format!("{name} port {}", self.names.name(Some(port)))
    }

    fn op(&self, tok: &str) -> String {
        let b = tok.as_bytes();
        let k = usize::from(b[1] - b'0');
        match b[0] {
            b'L' | b'P' => {
                let srv = &self.servers[k];
                let port = if b[0] == b'P' {
                    match self.servers[1 - k].last.get() {
                        Some(p) => p,
                        None => return "none".into(),
                    }
                } else {
                    0
                };
                let mut opts = match host_of(char::from(b[2])) {
                    Some(h) => ListenOptions::from((port, h)),
                    None => ListenOptions::from(port),
                };
                opts.ipv6_only = b.get(3) == Some(&b'v');
                match srv.s.try_listen(opts) {
                    Ok(_) => format!("- {}", self.names.address(srv.s.address())),
                    Err(e) => format!("throws {}", e.code()),
                }
            }
            b'C' => {
                let name = format!("S{k}");
                self.servers[k].s.close_cb(move |e| {
                    note!(
                        &name,
                        "close cb {}",
                        harness::undef(e.map(|e| e.code().to_string()))
                    )
                });
                "-".into()
            }
            b'A' => self.names.address(self.servers[k].s.address()),
            b'n' => self.new_client(tok),
            b'c' => {
                let c = self.clients.borrow()[k];
                match b[2] {
                    b'd' => {
                        c.destroy();
                    }
                    b'e' => {
                        c.end();
                    }
                    _ => {
                        c.write("hello");
                    }
                }
                format!(
                    "rs={} pending={} connecting={}",
                    c.ready_state(),
                    c.pending(),
                    c.connecting()
                )
            }
            _ => panic!("unknown op {tok}"),
        }
    }
}

/// The nodenet twin of `js/fuzz_connect.js`: runs `script`.
fn driver(script: &str) {
    let (head, steps) = harness::script_steps(script);
    let names = Rc::new(Names::default());
    names.0.borrow_mut().push((REFUSED_PORT, "R".into()));
    let block = head.as_bytes().get(1).copied().unwrap_or(b'-');
    let world = Rc::new(World {
        servers: [server(&names, 0, b'-'), server(&names, 1, block)],
        names,
        clients: RefCell::default(),
    });
    run(world, steps, 0);
}

/// Run step `i` of the script, then the next one `STEP_MS` later.
fn run(w: Rc<World>, steps: Rc<Vec<Vec<String>>>, i: usize) {
    if i == steps.len() {
        out!(
            "final {} {}",
            w.servers[0].s.listening(),
            w.servers[1].s.listening()
        );
        for c in w.clients.borrow().iter() {
            c.destroy();
        }
        for srv in &w.servers {
            for c in srv.accepted.borrow().iter() {
                c.destroy();
            }
            if srv.s.listening() {
                srv.s.close();
            }
        }
        return;
    }
    for tok in &steps[i] {
        let r = w.op(tok);
        out!("{i} {tok}: {r}");
    }
    nodenet::set_timeout(STEP_MS, move || run(w, steps, i + 1));
}

/// Scripts that once differed, run every time beside the random ones.
const REGRESSIONS: &[&str] = &[
    // A client with a local port and no local address, refused: Node names the local side
    // it asked to bind (` - Local (0.0.0.0:<port>)`); nodenet named nothing (seed 1,
    // case 8; scenario connect_local_side).
    "k-|L06 L1z|n0a0t-- P1l|n1l4t4-|c0d C1 n0z0d-4 P0l|n0z4tP- C0|L1av n1b0d-- L14|P04 P04|c2d n060d--",
    // Happy eyeballs with a local port held on both families and ::1 blocked: Node binds
    // first, so both attempts fail with `bind EADDRINUSE`; nodenet checked the block list
    // first (seed 4, case 17; scenario happy_eyeballs_bind_then_block).
    "k-|L04 n140f6-|P0a L06v|P04 n1B0f-- A0|L0l|n1z4d--|P16|L0av|c0w P04 n0l6d44|n0B0tP6",
];

#[test]
fn fuzz_connect() {
    let scripts = harness::fuzz_scripts("NODENET_FUZZ_CONNECT", 24, REGRESSIONS, generate);
    harness::fuzz_one_at_a_time("fuzz_connect", &scripts, driver);
}
