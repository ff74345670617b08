//! A minimal single-threaded server written directly on mio: the baseline that
//! the benchmark harness (`benches/compare.rs`) measures nodenet and Node 24
//! against. It is meant to be about as fast as a mio server can be while
//! staying short, not to be a model of API design.
//!
//! Usage: `raw_mio_server MODE PORT` where MODE is one of
//! - `echo`: write back everything that is read;
//! - `sink`: read and discard (client-to-server bulk);
//! - `source`: write one 1 MiB buffer over and over as fast as the socket
//!   takes it, a whole block per writev, and discard anything read
//!   (server-to-client bulk). The block is 1 MiB because Node's and nodenet's
//!   servers write a 1 MiB block: a smaller one repeated in the iovecs would
//!   be the same bytes per call with a sixteenth of the memory to read (a
//!   64 KiB block repeated 16 times cost about 0.6x the user time per GiB of a
//!   1 MiB one in alternating runs), a different job;
//! - `http`: answer one fixed HTTP/1.1 response per request head (every
//!   `\r\n\r\n`), keep-alive, pipelining-aware;
//! - `idle`: accept and hold connections, reading only.
//!
//! The server listens on 127.0.0.1:PORT (PORT may be 0) and prints
//! `listening PORT` with the real port on stdout once it accepts.
//!
//! Sockets are edge-triggered: every handler reads until the socket is
//! empty (`WouldBlock`, or a short read: see `drive`) and writes until it is
//! full (`WouldBlock`, or a short write: the kernel took less than it was
//! offered, and signals writable again once a good part of its buffer is
//! free, as libuv relies on), keeping unsent output per connection. Writing
//! again at once after a short write takes only what the reader freed
//! meanwhile: with 1 MiB blocks to a fast reader on loopback, 4.5 writes
//! per MiB against 1.1 (medians of 5).

use std::io::{self, ErrorKind, Read, Write};
use std::net::SocketAddr;

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};
use slab::Slab;

const LISTENER: Token = Token(usize::MAX);
/// Size of the one read buffer shared by all connections.
const READ_BUF_SIZE: usize = 64 * 1024;
/// Size of the buffer that `source` mode writes over and over.
const SOURCE_BUF_SIZE: usize = 1024 * 1024;
/// Stop reading from a connection while this much output waits for the peer.
const HIGH_WATER: usize = 1 << 20;
/// The fixed HTTP response.
const HTTP_RESPONSE: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nhello world\n";
/// How many responses the pre-built response block holds.
const HTTP_BATCH: usize = 64;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Echo,
    Sink,
    Source,
    Http,
    Idle,
}

impl Mode {
    fn parse(s: &str) -> Option<Mode> {
        Some(match s {
            // nodenet's bench server has an `echo-owned` mode too (owned chunks); raw mio has
            // one way to echo.
            "echo" | "echo-owned" => Mode::Echo,
            "sink" => Mode::Sink,
            "source" => Mode::Source,
            "http" => Mode::Http,
            "idle" => Mode::Idle,
            _ => return None,
        })
    }

    fn interest(self) -> Interest {
        match self {
            Mode::Sink | Mode::Idle => Interest::READABLE,
            Mode::Echo | Mode::Http | Mode::Source => Interest::READABLE | Interest::WRITABLE,
        }
    }
}

/// One accepted connection. An idle one owns no heap memory: `out` only
/// allocates once a write could not be completed at once.
struct Conn {
    stream: TcpStream,
    /// Output the kernel has not taken yet, from `out_pos` on.
    out: Vec<u8>,
    out_pos: usize,
    /// `source`: where in the source buffer the next write starts.
    /// `http`: how many bytes of `\r\n\r\n` the input seen so far ends with.
    state: usize,
}

impl Conn {
    fn pending(&self) -> usize {
        self.out.len() - self.out_pos
    }

    /// Writes queued output until it is gone or the kernel is full.
    fn flush(&mut self) -> io::Result<()> {
        while self.out_pos < self.out.len() {
            match self.stream.write(&self.out[self.out_pos..]) {
                Ok(0) => return Err(ErrorKind::WriteZero.into()),
                Ok(n) => {
                    self.out_pos += n;
                    if self.out_pos < self.out.len() {
                        // A short write: the socket is full (see `drive`).
                        return Ok(());
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.out.clear();
        self.out_pos = 0;
        if self.out.capacity() > HIGH_WATER {
            self.out = Vec::new();
        }
        Ok(())
    }

    /// Sends `data`: straight to the kernel when nothing is queued, and
    /// queues whatever the kernel does not take.
    fn send(&mut self, mut data: &[u8]) -> io::Result<()> {
        if self.pending() == 0 {
            while !data.is_empty() {
                match self.stream.write(data) {
                    Ok(0) => return Err(ErrorKind::WriteZero.into()),
                    Ok(n) => {
                        data = &data[n..];
                        if !data.is_empty() {
                            break;
                        }
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
        self.out.extend_from_slice(data);
        Ok(())
    }
}

/// Reads once into `buf`. `Ok(None)` means the socket is drained for now,
/// `Ok(Some(0))` that the peer closed.
fn read_some(stream: &mut TcpStream, buf: &mut [u8]) -> io::Result<Option<usize>> {
    loop {
        match stream.read(buf) {
            Ok(n) => return Ok(Some(n)),
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(None),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Counts complete request heads (`\r\n\r\n`) in `data`, carrying how much
/// of the terminator the previous input ended with in `state`.
fn count_requests(state: &mut usize, data: &[u8]) -> usize {
    const END: &[u8; 4] = b"\r\n\r\n";
    let mut matched = *state;
    let mut count = 0;
    for &b in data {
        if b == END[matched] {
            matched += 1;
            if matched == 4 {
                count += 1;
                matched = 0;
            }
        } else if b == b'\r' {
            matched = 1;
        } else {
            matched = 0;
        }
    }
    *state = matched;
    count
}

/// Shared, read-only buffers plus the one read buffer.
struct Buffers {
    read: Vec<u8>,
    source: Vec<u8>,
    http: Vec<u8>,
}

/// Serves one readiness event. Returns `Ok(false)` when the connection is
/// finished and must be dropped.
///
/// Reading stops at the first short read (fewer bytes than the buffer
/// holds), as libuv does: the socket was empty at that moment, and epoll
/// reports every later arrival as a new edge, so the read that would only
/// say WouldBlock is saved. The exception is an event that already says the
/// peer closed (`read_closed`): its FIN may sit behind the data, and no new
/// edge will come for it, so then we read on to the end.
fn drive(mode: Mode, conn: &mut Conn, bufs: &mut Buffers, read_closed: bool) -> io::Result<bool> {
    let drained = |n: usize, cap: usize| n < cap && !read_closed;
    let cap = bufs.read.len();
    match mode {
        Mode::Sink | Mode::Idle => loop {
            match read_some(&mut conn.stream, &mut bufs.read)? {
                Some(0) => return Ok(false),
                Some(n) if drained(n, cap) => return Ok(true),
                Some(_) => {}
                None => return Ok(true),
            }
        },
        Mode::Source => {
            let src = &bufs.source;
            loop {
                // One whole block per call: the rest of it, then its start.
                let iov = [
                    io::IoSlice::new(&src[conn.state..]),
                    io::IoSlice::new(&src[..conn.state]),
                ];
                match conn.stream.write_vectored(&iov) {
                    Ok(0) => return Err(ErrorKind::WriteZero.into()),
                    Ok(n) => {
                        conn.state = (conn.state + n) % src.len();
                        if n < src.len() {
                            break;
                        }
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            loop {
                match read_some(&mut conn.stream, &mut bufs.read)? {
                    Some(0) => return Ok(false),
                    Some(n) if drained(n, cap) => return Ok(true),
                    Some(_) => {}
                    None => return Ok(true),
                }
            }
        }
        Mode::Echo | Mode::Http => loop {
            if conn.pending() > 0 {
                conn.flush()?;
                if conn.pending() >= HIGH_WATER {
                    // Leave the rest unread; the writable edge that comes
                    // when the peer catches up brings us back here.
                    return Ok(true);
                }
            }
            let n = match read_some(&mut conn.stream, &mut bufs.read)? {
                Some(0) => return Ok(false),
                Some(n) => n,
                None => return Ok(true),
            };
            if mode == Mode::Echo {
                conn.send(&bufs.read[..n])?;
            } else {
                let mut requests = count_requests(&mut conn.state, &bufs.read[..n]);
                while requests > 0 {
                    let batch = requests.min(HTTP_BATCH);
                    conn.send(&bufs.http[..batch * HTTP_RESPONSE.len()])?;
                    requests -= batch;
                }
            }
            if drained(n, cap) {
                return Ok(true);
            }
        },
    }
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

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: raw_mio_server echo|sink|source|http|idle PORT";
    let Some(mode) = args.get(1).and_then(|m| Mode::parse(m)) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let Some(port) = args.get(2).and_then(|p| p.parse::<u16>().ok()) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    raise_nofile_limit();

    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut listener = TcpListener::bind(addr)?;
    let mut poll = Poll::new()?;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;
    {
        let mut out = io::stdout().lock();
        writeln!(out, "listening {}", listener.local_addr()?.port())?;
        out.flush()?;
    }

    let mut bufs = Buffers {
        read: vec![0; READ_BUF_SIZE],
        source: (0..SOURCE_BUF_SIZE)
            .map(|i| b'a' + (i % 26) as u8)
            .collect(),
        http: HTTP_RESPONSE.repeat(HTTP_BATCH),
    };
    let mut conns: Slab<Conn> = Slab::with_capacity(1024);
    let mut events = Events::with_capacity(1024);

    loop {
        if let Err(e) = poll.poll(&mut events, None) {
            if e.kind() == ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        for event in events.iter() {
            if event.token() == LISTENER {
                loop {
                    match listener.accept() {
                        Ok((mut stream, _)) => {
                            let _ = stream.set_nodelay(true);
                            let entry = conns.vacant_entry();
                            let token = Token(entry.key());
                            if poll
                                .registry()
                                .register(&mut stream, token, mode.interest())
                                .is_ok()
                            {
                                entry.insert(Conn {
                                    stream,
                                    out: Vec::new(),
                                    out_pos: 0,
                                    state: 0,
                                });
                            }
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        Err(e) if e.kind() == ErrorKind::Interrupted => {}
                        Err(e)
                            if matches!(
                                e.raw_os_error(),
                                Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
                            ) =>
                        {
                            // Out of resources: the pending connections
                            // wait for the next accept edge.
                            eprintln!("accept: {e}");
                            break;
                        }
                        // ECONNABORTED and the like concern one connection.
                        Err(_) => {}
                    }
                }
                continue;
            }
            let key = event.token().0;
            let keep = match conns.get_mut(key) {
                Some(conn) => matches!(
                    drive(mode, conn, &mut bufs, event.is_read_closed()),
                    Ok(true)
                ),
                None => continue,
            };
            if !keep {
                let mut conn = conns.remove(key);
                let _ = poll.registry().deregister(&mut conn.stream);
            }
        }
    }
}
