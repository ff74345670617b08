//! The pipe's randomized differential test: random scripts of `pipe`, `unpipe` and what
//! goes on around them (the source's data and end, pauses, corked, ended and destroyed
//! destinations), each run by the JS driver `js/fuzz_pipe.js` under Node 24 and by
//! [`driver`] on nodenet; the two traces must be equal.
//!
//! Before the script runs, the source S and the destinations D0 and D1 connect to one
//! server, one after the other; their accepted ends are the feeder F (which writes what S
//! reads) and the sinks K0 and K1 (which read what D0 and D1 send). A script is one line
//! of text: a head (`h0`/`h1`: allowHalfOpen on every socket or on none), then steps separated by `|`, each a list of operations
//! separated by spaces. Step 0 runs once all six sockets are connected, every later step
//! 30 ms after the one before. Operations: `P<k>` S.pipe(Dk), `p<k>` the same with
//! `{ end: false }` (each printing whether it returned Dk), `X<k>` S.unpipe(Dk), `X`
//! S.unpipe() (printing whether it returned S), `f<n>` F writes n bytes, `fe` F ends,
//! `Sp` S.pause(), `Sm` S.resume(), `Sd` S.destroy(), and on Dk: `D<k>c` cork(), `D<k>u`
//! uncork(), `D<k>e` end(), `D<k>d` destroy(), `D<k>x` destroy(error ERR_TEST), `D<k>w<n>`
//! write(n bytes), printing its return.
//!
//! Traced: each operation, with S's readableFlowing, isPaused(), readableDidRead and
//! destroyed, and each destination's writableEnded, destroyed and writableCorked after it;
//! S's events (`pause` and `resume` too) in order, with its byte count at `end`; each other
//! socket's events in a note of its own (the destinations' `pipe` and `unpipe` with
//! whether their argument is S), as their order against S's hangs on the OS. No other byte
//! count is traced: once a pipe stops the source for good (a write into an ended or
//! destroyed destination, whose drain never comes), how much the source had read and passed
//! on hangs on the size of the chunk that stopped it, which hangs on the kernel's timing.
//!
//! Kept deterministic by the generator:
//! - F writes at most once a step, at most 4 KiB, so that each write reaches S within its
//!   step and is one read, one chunk, in Node (whose reads take up to 64 KiB) and in
//!   nodenet (whose reads for a flowing socket with small reads take what is left of a
//!   16 KiB block, at least 4 KiB: a documented difference); where the pipe stops the
//!   source for good, at the chunk it cannot pass on, whether the end of data is then
//!   reached hangs on which bytes that chunk held (a destination's writes, at most 40,000
//!   bytes, go to the kernel at once unless it is corked);
//! - the source's data takes a corked destination over its highWaterMark (64 KiB) only
//!   when the destination's own writes took it over already: which chunk crosses the mark
//!   hangs on how the kernel cut F's bytes into reads (and nodenet's reads under 16 KiB
//!   are smaller than Node's 64 KiB, a documented difference), and with it how far S reads
//!   before it waits for the drain. The generator counts, for each corked destination, its
//!   own writes and at most what the source's data added (each F write once per pipe into
//!   it), and leaves out an F write that could take it to more than 60,000 bytes;
//! - no `Sd` in a step that writes with `f` (S's unread bytes make its close a reset or
//!   not, by timing);
//! - a closed socket's operations are skipped (printed as such) and its state is not
//!   printed: nodenet frees a socket's state at `close` (its documented difference from
//!   Node).
//!
//! After the last step the driver prints the state, uncorks what is corked, and 30 ms
//! later destroys every socket and closes the server.
//!
//! `NODENET_FUZZ_PIPE_CASES` (default 24) and `NODENET_FUZZ_PIPE_SEED` (default 1) choose
//! the scripts; `NODENET_FUZZ_PIPE_SCRIPT` runs one script given as text;
//! `NODENET_FUZZ_NODE_ONLY=1` runs each script twice under Node and compares Node with
//! itself.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodenet::net::{self, ConnectOptions, PipeOptions, ServerOptions, Socket, events::*};

use crate::harness::{self, Rng, Sock};

/// The time between two steps, as in the JS driver.
const STEP_MS: u64 = 30;

/// A destination's highWaterMark (Node 24's default), and the most the generator lets the
/// source's data bring a corked destination's buffer to (see the module's docs).
const HWM: u64 = 65_536;
const PIPED_MAX: u64 = 60_000;

/// What the generator knows of a destination's corked buffer.
#[derive(Clone, Copy, Default)]
struct Corked {
    /// cork() calls not undone.
    depth: u32,
    /// Bytes its own writes buffered since it was corked: exact.
    own: u64,
    /// Bytes the source's data may have buffered since then: at most this.
    piped: u64,
    /// pipe() calls into it so far (each one writes every chunk once).
    pipes: u64,
}

/// A random script (see the module's docs).
fn generate(rng: &mut Rng) -> String {
    let mut s = format!("h{}", rng.below(2));
    let steps = 4 + rng.below(8);
    let mut d = [Corked::default(); 2];
    for i in 0..steps {
        let n = 1 + rng.below(4);
        let mut ops: Vec<String> = Vec::new();
        let mut written = 0u64;
        for _ in 0..n {
            let k = rng.below(2) as usize;
            let op = rng.pick(&[
                (5, "P"),
                (2, "p"),
                (2, "X"),
                (1, "x"),
                (6, "f"),
                (1, "fe"),
                (1, "Sp"),
                (1, "Sm"),
                (1, "Sd"),
                (3, "Dc"),
                (2, "Du"),
                (1, "De"),
                (1, "Dd"),
                (1, "Dx"),
                (2, "Dw"),
            ]);
            let tok = match op {
                "P" | "p" => {
                    d[k].pipes += 1;
                    format!("{op}{k}")
                }
                "X" => format!("X{k}"),
                "x" => "X".into(),
                "f" => {
                    let b = 1 + rng.below(4096);
                    // Where the source's data would take a corked destination over its
                    // highWaterMark, it depends on the reads which chunk does: only a
                    // destination over it already (by its own writes) or well under it.
                    let ok = d.iter().all(|c| {
                        c.depth == 0 || c.own >= HWM || c.own + c.piped + b * c.pipes <= PIPED_MAX
                    });
                    if !ok || written > 0 || ops.iter().any(|o| o == "Sd") {
                        continue;
                    }
                    written += b;
                    for c in d.iter_mut().filter(|c| c.depth > 0) {
                        c.piped += b * c.pipes;
                    }
                    format!("f{b}")
                }
                // A destroyed source leaves little to pipe: not in the first steps.
                "Sd" if written > 0 || i < 3 => continue,
                "fe" if i < 2 => continue,
                "Dc" => {
                    d[k].depth += 1;
                    format!("D{k}c")
                }
                "Du" => {
                    d[k].depth = d[k].depth.saturating_sub(1);
                    if d[k].depth == 0 {
                        d[k].own = 0;
                        d[k].piped = 0;
                    }
                    format!("D{k}u")
                }
                // end() uncorks (Node's end sets corked to 1 and uncorks); after a destroy
                // the pipe's writes fail at its first chunk, whatever its size.
                "De" | "Dd" | "Dx" => {
                    d[k] = Corked {
                        pipes: d[k].pipes,
                        ..Corked::default()
                    };
                    format!("D{k}{}", &op[1..])
                }
                "Dw" => {
                    let b = rng.below(40_000);
                    if d[k].depth > 0 {
                        d[k].own += b;
                    }
                    format!("D{k}w{b}")
                }
                o => o.to_string(),
            };
            ops.push(tok);
        }
        s.push('|');
        s.push_str(&ops.join(" "));
    }
    s
}

/// Where a socket's events go: S's to the trace, the others' to notes of their own.
fn say(name: &str, line: String) {
    if name == "S" {
        out!("S {line}");
    } else {
        note!(name, "{line}");
    }
}

/// Trace `s`'s events under `name`; `src` is S's socket, for the destinations' `pipe` and
/// `unpipe` (S itself is watched first, and passes its own socket).
fn watch(s: Socket, name: &'static str, src: Socket) -> Rc<Sock> {
    // Every pipe adds listeners to both ends: no limit, as the JS twin sets.
    s.set_max_listeners(0);
    let x = Sock::counting(s);
    let k = x.clone();
    s.on(End, move |_| {
        if name == "S" {
            say(name, format!("end rx {}", k.rx.get()))
        } else {
            say(name, "end".into())
        }
    });
    s.on(Finish, move |_| say(name, "finish".into()));
    s.on(Error, move |e| {
        say(name, format!("error {}", harness::code(&e)))
    });
    let k = x.clone();
    s.on(Close, move |h| {
        say(name, format!("close {h}"));
        k.closed.set(true);
    });
    if name == "S" {
        s.on(Pause, move |_| say(name, "pause".into()));
        s.on(Resume, move |_| say(name, "resume".into()));
    }
    // (S's events after its `close`, which Node has and nodenet cannot, as it frees a
    // socket's listeners at close, are not traced by the JS driver.)
    if name.starts_with('D') {
        s.on(Pipe, move |from| say(name, format!("pipe {}", from == src)));
        s.on(Unpipe, move |from| {
            say(name, format!("unpipe {}", from == src))
        });
    }
    x
}

/// What runs once a client is connected and accepted.
type Then = Box<dyn FnOnce()>;

struct World {
    server: net::Server,
    half_open: bool,
    s: RefCell<Option<Rc<Sock>>>,
    d: RefCell<Vec<Rc<Sock>>>,
    accepted: RefCell<Vec<Rc<Sock>>>,
    /// Called at the next `connection`.
    on_accept: RefCell<Option<Then>>,
}

impl World {
    fn src(&self) -> Rc<Sock> {
        self.s
            .borrow()
            .clone()
            .expect("S connected before the steps")
    }

    fn dest(&self, k: usize) -> Rc<Sock> {
        self.d.borrow()[k].clone()
    }

    /// Connect a client named `name`, then call `then` once it is connected and accepted.
    fn connect(self: &Rc<Self>, name: &'static str, then: impl FnOnce() + 'static) -> Rc<Sock> {
        let port = self.server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect(ConnectOptions {
            allow_half_open: self.half_open,
            ..ConnectOptions::from((port, "127.0.0.1"))
        });
        let done = Rc::new(Cell::new(0u8));
        let then: Rc<Cell<Option<Then>>> = Rc::new(Cell::new(Some(Box::new(then))));
        let both = {
            let done = done.clone();
            move || {
                done.set(done.get() + 1);
                if done.get() == 2
                    && let Some(f) = then.take()
                {
                    f();
                }
            }
        };
        let b = both.clone();
        *self.on_accept.borrow_mut() = Some(Box::new(b));
        c.on(Connect, move |_| both());
        let src = self.s.borrow().as_ref().map_or(c, |s| s.s);
        watch(c, name, src)
    }

    /// Sockets' state after an operation (a closed one's is not printed).
    fn state(&self) -> String {
        let s = self.src();
        let src = if s.closed.get() {
            "S:closed".to_string()
        } else {
            format!(
                "S:{} {} {} {}",
                s.s.readable_flowing()
                    .map_or_else(|| "null".to_string(), |f| f.to_string()),
                s.s.is_paused(),
                s.s.readable_did_read(),
                s.s.destroyed()
            )
        };
        let d: Vec<String> = self
            .d
            .borrow()
            .iter()
            .enumerate()
            .map(|(k, x)| {
                if x.closed.get() {
                    format!("D{k}:closed")
                } else {
                    format!(
                        "D{k}:{}{}{}",
                        if x.s.writable_ended() { "e" } else { "" },
                        if x.s.destroyed() { "d" } else { "" },
                        x.s.writable_corked()
                    )
                }
            })
            .collect();
        format!("{src} {}", d.join(" "))
    }

    fn op(&self, tok: &str) -> String {
        let x = &tok[..1];
        let k: usize = tok.get(1..2).and_then(|d| d.parse().ok()).unwrap_or(0);
        let s = self.src();
        if "PpXS".contains(x) && s.closed.get() {
            return "skipped (closed)".into();
        }
        if "PpD".contains(x) && self.dest(k).closed.get() {
            return "skipped (closed)".into();
        }
        match x {
            "P" => {
                let d = self.dest(k).s;
                if s.s.pipe(d) == d { "dest" } else { "other" }.into()
            }
            "p" => {
                let d = self.dest(k).s;
                if s.s.pipe_with(d, PipeOptions { end: false }) == d {
                    "dest"
                } else {
                    "other"
                }
                .into()
            }
            "X" => {
                let d = (tok.len() > 1).then(|| self.dest(k).s);
                if s.s.unpipe(d) == s.s { "src" } else { "other" }.into()
            }
            "f" => {
                let f = self.accepted.borrow()[0].clone();
                if f.closed.get() {
                    return "skipped (closed)".into();
                }
                if tok == "fe" {
                    f.s.end();
                } else {
                    f.s.write(vec![b'f'; tok[1..].parse().unwrap_or(0)]);
                }
                "-".into()
            }
            "S" => {
                match &tok[1..] {
                    "p" => {
                        s.s.pause();
                    }
                    "m" => {
                        s.s.resume();
                    }
                    "d" => {
                        s.s.destroy();
                    }
                    _ => panic!("unknown op {tok}"),
                }
                "-".into()
            }
            "D" => {
                let d = self.dest(k).s;
                match &tok[2..3] {
                    "c" => d.cork(),
                    "u" => d.uncork(),
                    "e" => {
                        d.end();
                    }
                    "d" => {
                        d.destroy();
                    }
                    "x" => {
                        d.destroy_with(nodenet::Error::node("ERR_TEST", "test"));
                    }
                    "w" => {
                        return d
                            .write(vec![b'w'; tok[3..].parse().unwrap_or(0)])
                            .to_string();
                    }
                    _ => panic!("unknown op {tok}"),
                }
                "-".into()
            }
            _ => panic!("unknown op {tok}"),
        }
    }
}

/// The nodenet twin of `js/fuzz_pipe.js`: runs `script`.
fn driver(script: &str) {
    let (head, steps) = harness::script_steps(script);
    let half_open = head.contains("h1");
    let server = net::create_server_with(ServerOptions {
        allow_half_open: half_open,
        ..Default::default()
    });
    let world = Rc::new(World {
        server,
        half_open,
        s: RefCell::default(),
        d: RefCell::default(),
        accepted: RefCell::default(),
        on_accept: RefCell::default(),
    });
    let w = world.clone();
    server.on(Connection, move |sock| {
        const ROLES: [&str; 3] = ["F", "K0", "K1"];
        let k = w.accepted.borrow().len();
        let src = w.src().s;
        let x = watch(sock, ROLES[k.min(2)], src);
        w.accepted.borrow_mut().push(x);
        let f = w.on_accept.borrow_mut().take();
        if let Some(f) = f {
            f();
        }
    });
    let w = world.clone();
    server.once(Listening, move |_| {
        let w1 = w.clone();
        let s = w.connect("S", move || {
            let w2 = w1.clone();
            let d0 = w1.connect("D0", move || {
                let w3 = w2.clone();
                let d1 = w2.connect("D1", move || run(w3, steps, 0));
                w2.d.borrow_mut().push(d1);
            });
            w1.d.borrow_mut().push(d0);
        });
        *w.s.borrow_mut() = Some(s);
    });
    server.listen((0, "127.0.0.1"));
}

/// Run step `i` of the script, then the next one `STEP_MS` later.
fn run(w: Rc<World>, steps: Rc<Vec<Vec<String>>>, i: usize) {
    if i == steps.len() {
        out!("final {}", w.state());
        for d in w.d.borrow().iter() {
            while d.s.writable_corked() > 0 {
                d.s.uncork();
            }
        }
        nodenet::set_timeout(STEP_MS, move || {
            let mut all = vec![w.src()];
            all.extend(w.d.borrow().iter().cloned());
            all.extend(w.accepted.borrow().iter().cloned());
            for x in all {
                x.s.destroy();
            }
            w.server.close();
        });
        return;
    }
    for tok in &steps[i] {
        let r = w.op(tok);
        out!("{i} {tok}: {r} {}", w.state());
    }
    nodenet::set_timeout(STEP_MS, move || run(w, steps, i + 1));
}

/// Scripts that once differed, run every time beside the random ones.
const REGRESSIONS: &[&str] = &[
    // A destination that finishes after the source closed still gets `unpipe`, once per
    // pipe into it: Node's source keeps its pipes past `close` (nodenet emitted nothing).
    "h1|P0 P0|Sd|D0e",
    // A pipe into an ended destination stops the source at its first chunk; that chunk was
    // the last after the end of data, so `end` follows all the same (Node's read() that
    // takes the last chunk schedules it, whatever the chunk's listeners do).
    "h1|D0e Sp|f1000 fe|P0|Sp",
];

#[test]
fn fuzz_pipe() {
    let scripts = harness::fuzz_scripts("NODENET_FUZZ_PIPE", 24, REGRESSIONS, generate);
    harness::fuzz("fuzz_pipe", &scripts, driver);
}
