//! The project's own load generator, on mio, used by the benchmark harness
//! (`benches/compare.rs`) to drive Node 24, nodenet and the raw mio server
//! with exactly the same client.
//!
//! ```text
//! loadgen echo      --port P [--conns N] [--size S] [--secs T] [--warmup W] [--threads K] [--rate R]
//! loadgen bulk-up   --port P [--conns N] [--size S] [--secs T] [--warmup W] [--threads K]
//! loadgen bulk-down --port P [--conns N] [--secs T] [--warmup W] [--threads K]
//! loadgen churn     --port P [--conns N] [--size S] [--secs T] [--warmup W] [--threads K] [--sources K]
//! loadgen idle      --port P [--conns N] [--hold H] [--batch B]
//! ```
//!
//! - `echo`: every connection keeps one message of S bytes in flight and
//!   sends the next one as soon as the whole echo is back; messages/s and
//!   p50/p99 round-trip latency. With `--rate R`, the load is open-loop
//!   instead: R messages per second in all, message `j` due at `j / R`
//!   seconds from the start on connection `j mod N`. A message due while its
//!   connection still waits for an echo is sent when that echo is back, and
//!   every latency counts from when its message was due, not sent (so a
//!   slow server is not measured at the pace it sets itself: wrk2's
//!   correction of coordinated omission). The server's rate is then R as
//!   long as it keeps up, and the latency is what a client sees at that
//!   load. A message that comes due before its connection is established
//!   is not sent: the time to connect is not an echo's latency (a connect
//!   retried after a dropped SYN waits a second).
//! - `bulk-up`: writes S-byte blocks (16 per writev) as fast as the server
//!   takes them, waiting for the writable edge after a short write (writing
//!   again at once took what the server had read meanwhile: in 5 pinned
//!   pairs against raw mio's sink, 5.72 GB/s against 6.37); bytes/s.
//! - `bulk-down`: reads (1 MiB at a time) as fast as the server writes.
//! - `churn`: N slots each connect, send S bytes, read the echo back, close,
//!   and start over; connections/s and p50/p99 of the whole cycle. Churn
//!   connects from K loopback source addresses in turn (127.0.0.2 and up,
//!   default 64; `--sources 1` = plain connect from 127.0.0.1): with one
//!   source, the kernel's search for a free port among tens of thousands
//!   in TIME_WAIT costs the generator more than the server's whole work.
//! - `idle`: opens N connections (at most 256 connecting at once), prints a
//!   `ready` line and holds them until stdin closes or H seconds pass. With
//!   `--batch B` it stops after every B connections, prints
//!   `batch connected=K` and waits for a line on stdin before going on, so
//!   that the caller can wait for the server to accept them.
//!
//! Everything is bounded: a run lasts W + T seconds (idle: at most 60 s to
//! connect plus H to hold) and stops by itself.
//!
//! Output (stdout), for all modes but idle: a line `warm` when the warm-up
//! ends and measuring starts, a line `end` when measuring stops, then one
//! line `result key=value ...`. For idle: one line `ready key=value ...`.
//! Only what happens between `warm` and `end` is counted. The `load_cpu`
//! field is this process's own CPU time over the window divided by its
//! length: close to 1.0 per thread means the generator, not the server, may
//! be the limit.

use std::collections::VecDeque;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Echo,
    BulkUp,
    BulkDown,
    Churn,
    Idle,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Echo => "echo",
            Mode::BulkUp => "bulk-up",
            Mode::BulkDown => "bulk-down",
            Mode::Churn => "churn",
            Mode::Idle => "idle",
        }
    }
}

#[derive(Clone, Debug)]
struct Opts {
    mode: Mode,
    addr: SocketAddr,
    conns: usize,
    size: usize,
    secs: f64,
    warmup: f64,
    threads: usize,
    hold: f64,
    sources: usize,
    batch: usize,
    /// Echo: messages per second in all, open-loop; 0 = closed loop.
    rate: f64,
}

const USAGE: &str = "usage: loadgen echo|bulk-up|bulk-down|churn|idle --port P [--host H] \
[--conns N] [--size BYTES] [--secs T] [--warmup T] [--threads K] [--hold T] [--sources K] [--batch B] \
[--rate R]";

fn parse_args() -> Result<Opts, String> {
    let mut args = std::env::args().skip(1);
    let mode = match args.next().as_deref() {
        Some("echo") => Mode::Echo,
        Some("bulk-up") => Mode::BulkUp,
        Some("bulk-down") => Mode::BulkDown,
        Some("churn") => Mode::Churn,
        Some("idle") => Mode::Idle,
        other => return Err(format!("unknown mode {other:?}")),
    };
    let mut host: IpAddr = Ipv4Addr::LOCALHOST.into();
    let mut port: Option<u16> = None;
    let mut opts = Opts {
        mode,
        addr: SocketAddr::new(host, 0),
        conns: match mode {
            Mode::Echo | Mode::Churn => 50,
            Mode::BulkUp | Mode::BulkDown => 1,
            Mode::Idle => 10_000,
        },
        size: match mode {
            Mode::BulkUp | Mode::BulkDown => 64 * 1024,
            _ => 64,
        },
        secs: 3.0,
        warmup: 0.5,
        threads: 1,
        hold: 30.0,
        sources: if mode == Mode::Churn { 64 } else { 1 },
        batch: 0,
        rate: 0.0,
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = || format!("bad value for {flag}: {value:?}");
        match flag.as_str() {
            "--port" => port = Some(value.parse().map_err(|_| bad())?),
            "--host" => host = value.parse().map_err(|_| format!("bad host {value:?}"))?,
            "--addr" => {
                let a: SocketAddr = value.parse().map_err(|_| format!("bad addr {value:?}"))?;
                host = a.ip();
                port = Some(a.port());
            }
            "--conns" => opts.conns = value.parse().map_err(|_| bad())?,
            "--size" => opts.size = value.parse().map_err(|_| bad())?,
            "--secs" => opts.secs = value.parse().map_err(|_| bad())?,
            "--warmup" => opts.warmup = value.parse().map_err(|_| bad())?,
            "--threads" => opts.threads = value.parse().map_err(|_| bad())?,
            "--hold" => opts.hold = value.parse().map_err(|_| bad())?,
            "--sources" => opts.sources = value.parse().map_err(|_| bad())?,
            "--batch" => opts.batch = value.parse().map_err(|_| bad())?,
            "--rate" => opts.rate = value.parse().map_err(|_| bad())?,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    let port = port.ok_or("--port is required")?;
    opts.addr = SocketAddr::new(host, port);
    if opts.conns == 0 || opts.size == 0 || opts.threads == 0 {
        return Err("--conns, --size and --threads must be positive".into());
    }
    let secs_ok = opts.secs > 0.0 && opts.secs <= 3600.0;
    if !secs_ok || !(0.0..=600.0).contains(&opts.warmup) {
        return Err("--secs must be in (0, 3600] and --warmup in [0, 600]".into());
    }
    if !(0.0..=10_000_000.0).contains(&opts.rate) || (opts.rate > 0.0 && mode != Mode::Echo) {
        return Err("--rate must be in [0, 1e7] messages per second, and only for echo".into());
    }
    opts.hold = opts.hold.clamp(0.0, 3600.0);
    opts.threads = opts.threads.min(opts.conns);
    Ok(opts)
}

/// Raises the soft limit on open files to the hard limit.
fn raise_nofile_limit() {
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < lim.rlim_max {
            lim.rlim_cur = lim.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

/// This process's user+sys CPU time, all threads.
fn process_cpu() -> Duration {
    // SAFETY: getrusage fills the struct we pass.
    let ru = unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut ru);
        ru
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// The measuring window shared by all worker threads.
#[derive(Clone, Copy)]
struct Window {
    warm: Instant,
    end: Instant,
}

impl Window {
    fn contains(&self, t: Instant) -> bool {
        t >= self.warm && t < self.end
    }
}

/// What one worker counted inside the window.
#[derive(Default)]
struct Stats {
    ops: u64,
    bytes: u64,
    errors: u64,
    /// Round trips (echo) or whole cycles (churn), in nanoseconds.
    latencies: Vec<u32>,
    first_error: Option<String>,
}

impl Stats {
    fn error(&mut self, what: &str, e: &io::Error) {
        self.errors += 1;
        if self.first_error.is_none() {
            self.first_error = Some(format!("{what}: {e}"));
        }
    }

    fn merge(&mut self, other: Stats) {
        self.ops += other.ops;
        self.bytes += other.bytes;
        self.errors += other.errors;
        self.latencies.extend(other.latencies);
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }
}

fn nanos(d: Duration) -> u32 {
    d.as_nanos().min(u32::MAX as u128) as u32
}

/// Checks a connecting socket after an event: `Ok(true)` once connected.
fn check_connected(stream: &TcpStream) -> io::Result<bool> {
    if let Some(e) = stream.take_error()? {
        return Err(e);
    }
    match stream.peer_addr() {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == ErrorKind::NotConnected => Ok(false),
        Err(e) => Err(e),
    }
}

/// Writes from `data[*done..]` until all is written or the kernel is full.
fn write_some(stream: &mut TcpStream, data: &[u8], done: &mut usize) -> io::Result<usize> {
    let start = *done;
    while *done < data.len() {
        match stream.write(&data[*done..]) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => *done += n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(*done - start)
}

/// Starts a non-blocking connect, from loopback source address `source`
/// (the kernel picks the port at connect time) when one is given.
fn connect_from(addr: SocketAddr, source: Option<Ipv4Addr>) -> io::Result<TcpStream> {
    use std::os::fd::AsRawFd;
    let Some(source) = source else {
        return TcpStream::connect(addr);
    };
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)?;
    socket.set_nonblocking(true)?;
    let one: libc::c_int = 1;
    // SAFETY: setsockopt reads one c_int from the pointer we pass.
    let rc = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::IPPROTO_IP,
            libc::IP_BIND_ADDRESS_NO_PORT,
            (&one as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    socket.bind(&SocketAddr::new(source.into(), 0).into())?;
    match socket.connect(&addr.into()) {
        Ok(()) => {}
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => {}
        Err(e) => return Err(e),
    }
    Ok(TcpStream::from_std(socket.into()))
}

/// The `n`th of `count` loopback source addresses, or none for one source
/// or a server that is not on IPv4 loopback.
fn source_address(server: SocketAddr, count: usize, n: usize) -> Option<Ipv4Addr> {
    if count <= 1 || !server.is_ipv4() || !server.ip().is_loopback() {
        return None;
    }
    let k = (n % count) as u32 + 2;
    Some(Ipv4Addr::from(0x7f00_0000 | k))
}

fn poll_until(poll: &mut Poll, events: &mut Events, end: Instant, cap: Duration) -> io::Result<()> {
    let timeout = end.saturating_duration_since(Instant::now()).min(cap);
    match poll.poll(events, Some(timeout)) {
        Err(e) if e.kind() == ErrorKind::Interrupted => Ok(()),
        other => other,
    }
}

// ---------------------------------------------------------------- echo

/// One echo connection. Closed loop: one message in flight, the next sent as soon as its
/// echo is back. Open loop (`--rate`): messages come due on a schedule, and one due while
/// another is in flight waits in `backlog`.
struct EchoConn {
    stream: TcpStream,
    connected: bool,
    dead: bool,
    /// When the message in flight was sent (closed loop) or due (open loop); `None`:
    /// nothing in flight.
    inflight: Option<Instant>,
    /// Open loop: when the messages waiting behind the one in flight came due.
    backlog: VecDeque<Instant>,
    written: usize,
    received: usize,
}

impl EchoConn {
    /// Send a message (sent or due at `at`) if nothing is in flight; else it waits. One
    /// due before the connection is established is dropped.
    fn offer(&mut self, at: Instant, msg: &[u8]) -> io::Result<()> {
        if !self.connected {
            return Ok(());
        }
        if self.inflight.is_some() {
            self.backlog.push_back(at);
            return Ok(());
        }
        self.inflight = Some(at);
        self.written = 0;
        write_some(&mut self.stream, msg, &mut self.written).map(drop)
    }
}

/// Echo over `conns` connections: closed loop, or open loop at `rate` messages per second
/// (message `j` due at `j / rate` seconds after `begin`, on connection `j mod conns`).
fn echo_worker(
    addr: SocketAddr,
    conns: usize,
    size: usize,
    rate: Option<f64>,
    begin: Instant,
    win: Window,
) -> io::Result<Stats> {
    let mut stats = Stats::default();
    let mut poll = Poll::new()?;
    let mut events = Events::with_capacity(1024);
    let msg = vec![b'x'; size];
    let mut buf = vec![0u8; (64 * 1024).max(size)];
    let mut list: Vec<EchoConn> = Vec::with_capacity(conns);
    for _ in 0..conns {
        match TcpStream::connect(addr) {
            Ok(mut stream) => {
                let token = Token(list.len());
                poll.registry().register(
                    &mut stream,
                    token,
                    Interest::READABLE | Interest::WRITABLE,
                )?;
                list.push(EchoConn {
                    stream,
                    connected: false,
                    dead: false,
                    inflight: None,
                    backlog: VecDeque::new(),
                    written: 0,
                    received: 0,
                });
            }
            Err(e) => stats.error("connect", &e),
        }
    }
    let count = list.len() as u64;
    let due = |j: u64| rate.map(|r| begin + Duration::from_secs_f64(j as f64 / r));
    let mut next: u64 = 0;
    loop {
        let now = Instant::now();
        if now >= win.end || count == 0 {
            break;
        }
        // Open loop: every message due by now goes to its connection (sent, or queued
        // behind the one in flight).
        while let Some(at) = due(next).filter(|&at| at <= now) {
            let c = &mut list[(next % count) as usize];
            next += 1;
            if c.dead {
                continue;
            }
            if let Err(e) = c.offer(at, &msg) {
                stats.error("echo", &e);
                c.dead = true;
                let _ = poll.registry().deregister(&mut c.stream);
            }
        }
        // Wait for events, and in an open loop no later than the next message is due, in
        // whole milliseconds (epoll's unit; mio rounds a shorter wait up to 1 ms): closer
        // than that, poll without waiting.
        let until = match due(next) {
            Some(at) => {
                let now = Instant::now();
                let ms = at.min(win.end).saturating_duration_since(now).as_millis();
                now + Duration::from_millis(ms as u64)
            }
            None => win.end,
        };
        poll_until(&mut poll, &mut events, until, Duration::from_millis(50))?;
        for event in events.iter() {
            let c = &mut list[event.token().0];
            if c.dead {
                continue;
            }
            if let Err(e) = echo_event(c, &msg, &mut buf, rate.is_some(), &win, &mut stats) {
                stats.error("echo", &e);
                c.dead = true;
                let _ = poll.registry().deregister(&mut c.stream);
            }
        }
    }
    Ok(stats)
}

fn echo_event(
    c: &mut EchoConn,
    msg: &[u8],
    buf: &mut [u8],
    paced: bool,
    win: &Window,
    stats: &mut Stats,
) -> io::Result<()> {
    let size = msg.len();
    if !c.connected {
        if !check_connected(&c.stream)? {
            return Ok(());
        }
        c.connected = true;
        c.stream.set_nodelay(true)?;
        c.received = 0;
        // Closed loop: the first message now; open loop: the next one due.
        if !paced {
            c.offer(Instant::now(), msg)?;
        }
    }
    if c.inflight.is_some() {
        write_some(&mut c.stream, msg, &mut c.written)?;
    }
    loop {
        let n = match c.stream.read(buf) {
            Ok(0) => return Err(io::Error::new(ErrorKind::UnexpectedEof, "server closed")),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(()),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        c.received += n;
        while c.received >= size && c.written == size {
            let Some(at) = c.inflight.take() else {
                return Err(io::Error::other("an echo of a message not sent"));
            };
            let now = Instant::now();
            if win.contains(now) {
                stats.ops += 1;
                stats.latencies.push(nanos(now - at));
            }
            c.received -= size;
            let next = if paced {
                c.backlog.pop_front()
            } else {
                Some(now)
            };
            if let Some(at) = next {
                c.offer(at, msg)?;
            }
        }
        if n < buf.len() {
            // A short read emptied the socket. Linux's epoll reports every
            // later arrival as a new edge, so the read that would only say
            // WouldBlock can be skipped: one syscall less per message keeps
            // the generator from being the limit.
            return Ok(());
        }
    }
}

// ---------------------------------------------------------------- bulk

/// How many copies of the block one bulk-up writev hands the kernel.
const BULK_IOVECS: usize = 16;

fn bulk_worker(
    addr: SocketAddr,
    conns: usize,
    size: usize,
    up: bool,
    win: Window,
) -> io::Result<Stats> {
    let mut stats = Stats::default();
    let mut poll = Poll::new()?;
    let mut events = Events::with_capacity(256);
    let block: Vec<u8> = (0..size).map(|i| b'a' + (i % 26) as u8).collect();
    let mut buf = vec![0u8; 1024 * 1024];
    let interest = if up {
        Interest::WRITABLE
    } else {
        Interest::READABLE
    };
    // (stream, connected, dead, offset in block)
    let mut list: Vec<(TcpStream, bool, bool, usize)> = Vec::new();
    for _ in 0..conns {
        match TcpStream::connect(addr) {
            Ok(mut stream) => {
                poll.registry().register(
                    &mut stream,
                    Token(list.len()),
                    interest | Interest::WRITABLE,
                )?;
                list.push((stream, false, false, 0));
            }
            Err(e) => stats.error("connect", &e),
        }
    }
    while Instant::now() < win.end {
        poll_until(&mut poll, &mut events, win.end, Duration::from_millis(50))?;
        let counting = win.contains(Instant::now());
        for event in events.iter() {
            let (stream, connected, dead, offset) = &mut list[event.token().0];
            if *dead {
                continue;
            }
            let result = (|| -> io::Result<u64> {
                if !*connected {
                    if !check_connected(stream)? {
                        return Ok(0);
                    }
                    *connected = true;
                }
                let mut moved = 0u64;
                if up {
                    // The block repeated BULK_IOVECS times per writev, from
                    // `offset` within the first copy.
                    loop {
                        let mut iov = [io::IoSlice::new(&block); BULK_IOVECS];
                        iov[0] = io::IoSlice::new(&block[*offset..]);
                        let offered = block.len() * BULK_IOVECS - *offset;
                        match stream.write_vectored(&iov) {
                            Ok(0) => return Err(ErrorKind::WriteZero.into()),
                            Ok(n) => {
                                moved += n as u64;
                                *offset = (*offset + n) % block.len();
                                if n < offered {
                                    // A short write: the socket is full until its writable
                                    // edge (as the servers take it).
                                    return Ok(moved);
                                }
                            }
                            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(moved),
                            Err(e) if e.kind() == ErrorKind::Interrupted => {}
                            Err(e) => return Err(e),
                        }
                    }
                }
                loop {
                    match stream.read(&mut buf) {
                        Ok(0) => {
                            return Err(io::Error::new(ErrorKind::UnexpectedEof, "server closed"));
                        }
                        Ok(n) => moved += n as u64,
                        Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(moved),
                        Err(e) if e.kind() == ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                }
            })();
            match result {
                Ok(n) => {
                    if counting {
                        stats.bytes += n;
                    }
                }
                Err(e) => {
                    stats.error(if up { "write" } else { "read" }, &e);
                    *dead = true;
                    let _ = poll.registry().deregister(stream);
                }
            }
        }
    }
    Ok(stats)
}

// ---------------------------------------------------------------- churn

struct Slot {
    stream: Option<TcpStream>,
    generation: usize,
    connected: bool,
    started: Instant,
    written: usize,
    received: usize,
    retry_at: Option<Instant>,
}

const SLOT_BITS: u32 = 24;

fn churn_worker(
    addr: SocketAddr,
    slots: usize,
    size: usize,
    sources: usize,
    win: Window,
) -> io::Result<Stats> {
    let mut stats = Stats::default();
    let mut poll = Poll::new()?;
    let mut events = Events::with_capacity(1024);
    let msg = vec![b'x'; size];
    let mut buf = vec![0u8; (64 * 1024).max(size)];
    let now = Instant::now();
    let mut list: Vec<Slot> = (0..slots)
        .map(|_| Slot {
            stream: None,
            generation: 0,
            connected: false,
            started: now,
            written: 0,
            received: 0,
            retry_at: Some(now),
        })
        .collect();

    let mut attempts = 0usize;
    let mut start = |poll: &Poll, index: usize, s: &mut Slot, stats: &mut Stats| {
        s.generation = (s.generation + 1) & 0xff_ffff;
        s.connected = false;
        s.written = 0;
        s.received = 0;
        s.started = Instant::now();
        s.retry_at = None;
        attempts += 1;
        match connect_from(addr, source_address(addr, sources, attempts)) {
            Ok(mut stream) => {
                let token = Token(s.generation << SLOT_BITS | index);
                match poll.registry().register(
                    &mut stream,
                    token,
                    Interest::READABLE | Interest::WRITABLE,
                ) {
                    Ok(()) => s.stream = Some(stream),
                    Err(e) => {
                        stats.error("register", &e);
                        s.retry_at = Some(Instant::now() + Duration::from_millis(5));
                    }
                }
            }
            Err(e) => {
                // EADDRNOTAVAIL (ports exhausted), EMFILE...: back off a bit.
                stats.error("connect", &e);
                s.retry_at = Some(Instant::now() + Duration::from_millis(5));
            }
        }
    };

    fn finish(poll: &Poll, s: &mut Slot) {
        if let Some(mut stream) = s.stream.take() {
            let _ = poll.registry().deregister(&mut stream);
        }
    }

    while Instant::now() < win.end {
        let now = Instant::now();
        let mut waiting = false;
        for (i, s) in list.iter_mut().enumerate() {
            if let Some(at) = s.retry_at {
                if at <= now {
                    start(&poll, i, s, &mut stats);
                }
                waiting |= s.retry_at.is_some();
            }
        }
        let cap = Duration::from_millis(if waiting { 2 } else { 50 });
        poll_until(&mut poll, &mut events, win.end, cap)?;
        for event in events.iter() {
            let index = event.token().0 & ((1 << SLOT_BITS) - 1);
            let generation = event.token().0 >> SLOT_BITS;
            let s = &mut list[index];
            if s.generation != generation || s.stream.is_none() {
                continue;
            }
            match churn_event(s, &msg, &mut buf) {
                Ok(false) => {}
                Ok(true) => {
                    let now = Instant::now();
                    if win.contains(now) {
                        stats.ops += 1;
                        stats.latencies.push(nanos(now - s.started));
                    }
                    finish(&poll, s);
                    start(&poll, index, s, &mut stats);
                }
                Err(e) => {
                    stats.error("churn", &e);
                    finish(&poll, s);
                    start(&poll, index, s, &mut stats);
                }
            }
        }
    }
    Ok(stats)
}

/// Advances one churn cycle; `Ok(true)` when the echo is complete.
fn churn_event(s: &mut Slot, msg: &[u8], buf: &mut [u8]) -> io::Result<bool> {
    let stream = s.stream.as_mut().expect("slot has a stream");
    if !s.connected {
        if !check_connected(stream)? {
            return Ok(false);
        }
        s.connected = true;
        stream.set_nodelay(true)?;
    }
    write_some(stream, msg, &mut s.written)?;
    loop {
        match stream.read(buf) {
            Ok(0) => return Err(io::Error::new(ErrorKind::UnexpectedEof, "server closed")),
            Ok(n) => {
                s.received += n;
                if s.received >= msg.len() {
                    return Ok(true);
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(false),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

// ---------------------------------------------------------------- idle

fn idle(opts: &Opts) -> io::Result<()> {
    const MAX_CONNECTING: usize = 256;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(60);
    let mut poll = Poll::new()?;
    let mut events = Events::with_capacity(1024);
    let mut stats = Stats::default();
    // Lines from stdin (None at its end), for `--batch` and for the hold.
    let (tx, stdin_lines) = std::sync::mpsc::channel::<Option<String>>();
    std::thread::spawn(move || {
        for line in io::stdin().lines() {
            let Ok(line) = line else { break };
            if tx.send(Some(line)).is_err() {
                return;
            }
        }
        let _ = tx.send(None);
    });
    let say = |line: &str| -> io::Result<()> {
        let mut out = io::stdout().lock();
        writeln!(out, "{line}")?;
        out.flush()
    };
    // The flag is set once a connect has finished (or failed).
    let mut streams: Vec<(TcpStream, bool)> = Vec::with_capacity(opts.conns);
    let mut next = 0;
    let mut connecting = 0;
    let mut connected = 0;
    let mut stop_opening = false;
    let batch = if opts.batch == 0 {
        opts.conns
    } else {
        opts.batch
    };
    let mut batch_end = batch.min(opts.conns);
    while Instant::now() < deadline {
        while !stop_opening && connecting < MAX_CONNECTING && next < batch_end {
            next += 1;
            match TcpStream::connect(opts.addr) {
                Ok(mut stream) => {
                    poll.registry().register(
                        &mut stream,
                        Token(streams.len()),
                        Interest::READABLE | Interest::WRITABLE,
                    )?;
                    streams.push((stream, false));
                    connecting += 1;
                }
                Err(e) => {
                    stats.error("connect", &e);
                    // Out of descriptors or ports: more attempts would fail too.
                    if matches!(
                        e.raw_os_error(),
                        Some(libc::EMFILE | libc::ENFILE | libc::EADDRNOTAVAIL)
                    ) {
                        stop_opening = true;
                    }
                }
            }
        }
        if connecting == 0 {
            if stop_opening || next == opts.conns {
                break;
            }
            if next == batch_end {
                // Let the caller see the server take this batch before the
                // next one: a server that falls behind with a full accept
                // queue would otherwise drop handshakes that the client
                // already counts as done (and with SYN cookies, for good).
                say(&format!("batch connected={connected}"))?;
                match stdin_lines.recv_timeout(Duration::from_secs(30)) {
                    Ok(Some(_)) => {}
                    _ => stop_opening = true,
                }
                batch_end = (batch_end + batch).min(opts.conns);
                continue;
            }
        }
        poll_until(&mut poll, &mut events, deadline, Duration::from_millis(100))?;
        for event in events.iter() {
            let (stream, done) = &mut streams[event.token().0];
            if *done {
                continue;
            }
            match check_connected(stream) {
                Ok(false) => continue,
                Ok(true) => connected += 1,
                Err(e) => stats.error("connect", &e),
            }
            *done = true;
            connecting -= 1;
            // From now on only a close by the server would be news.
            let _ = poll
                .registry()
                .reregister(stream, event.token(), Interest::READABLE);
        }
    }
    let mut line = format!(
        "ready mode=idle conns={} connected={} errors={} connect_secs={:.3}",
        opts.conns,
        connected,
        stats.errors,
        started.elapsed().as_secs_f64()
    );
    if let Some(e) = &stats.first_error {
        line.push_str(&format!(" first_error={}", e.replace(' ', "_")));
    }
    say(&line)?;
    // Hold until stdin closes (the caller is done) or the time is up.
    let until = Instant::now() + Duration::from_secs_f64(opts.hold);
    while let Ok(Some(_)) =
        stdin_lines.recv_timeout(until.saturating_duration_since(Instant::now()))
    {}
    drop(streams);
    Ok(())
}

// ---------------------------------------------------------------- main

fn percentile_us(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1] as f64 / 1000.0
}

fn run(opts: Opts) -> io::Result<()> {
    if opts.mode == Mode::Idle {
        return idle(&opts);
    }
    let begin = Instant::now();
    let warm = begin + Duration::from_secs_f64(opts.warmup);
    let win = Window {
        warm,
        end: warm + Duration::from_secs_f64(opts.secs),
    };
    let mut workers = Vec::new();
    for t in 0..opts.threads {
        let share = opts.conns / opts.threads + usize::from(t < opts.conns % opts.threads);
        let o = opts.clone();
        workers.push(std::thread::spawn(move || match o.mode {
            Mode::Echo => {
                // This thread's share of an open loop's rate.
                let rate = (o.rate > 0.0).then(|| o.rate * share as f64 / o.conns as f64);
                echo_worker(o.addr, share, o.size, rate, begin, win)
            }
            Mode::BulkUp => bulk_worker(o.addr, share, o.size, true, win),
            Mode::BulkDown => bulk_worker(o.addr, share, o.size, false, win),
            Mode::Churn => churn_worker(o.addr, share, o.size, o.sources, win),
            Mode::Idle => unreachable!(),
        }));
    }
    let say = |what: &str| -> io::Result<()> {
        let mut out = io::stdout().lock();
        writeln!(out, "{what}")?;
        out.flush()
    };
    std::thread::sleep(win.warm.saturating_duration_since(Instant::now()));
    let cpu_warm = process_cpu();
    say("warm")?;
    std::thread::sleep(win.end.saturating_duration_since(Instant::now()));
    let cpu_end = process_cpu();
    say("end")?;

    let mut stats = Stats::default();
    for w in workers {
        match w.join() {
            Ok(Ok(s)) => stats.merge(s),
            Ok(Err(e)) => stats.error("worker", &e),
            Err(_) => stats.error("worker", &io::Error::other("panicked")),
        }
    }
    stats.latencies.sort_unstable();
    let secs = opts.secs;
    let load_cpu = (cpu_end.saturating_sub(cpu_warm)).as_secs_f64() / secs;
    let mut line = format!(
        "result mode={} conns={} size={} threads={} secs={:.3} ops={} rate={:.1} bytes={} \
bytes_per_s={:.1} p50_us={:.1} p99_us={:.1} errors={} load_cpu={:.3}",
        opts.mode.name(),
        opts.conns,
        opts.size,
        opts.threads,
        secs,
        stats.ops,
        stats.ops as f64 / secs,
        stats.bytes,
        stats.bytes as f64 / secs,
        percentile_us(&stats.latencies, 0.50),
        percentile_us(&stats.latencies, 0.99),
        stats.errors,
        load_cpu,
    );
    if let Some(e) = &stats.first_error {
        line.push_str(&format!(" first_error={}", e.replace(' ', "_")));
    }
    say(&line)
}

fn main() {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("loadgen: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    raise_nofile_limit();
    if let Err(e) = run(opts) {
        eprintln!("loadgen: {e}");
        std::process::exit(1);
    }
}
