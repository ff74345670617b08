//! nodenet's server for the side-by-side benchmark (`benches/compare.rs`).
//!
//! `nodenet_bench_server MODE PORT [WORKERS]` with MODE one of `echo` (each chunk borrowed
//! from the read buffer and written back from it: `on_data_view`, `write_slice`),
//! `echo-owned` (Node's way: owned chunks, `on(Data)`, `write`), `sink` (read and
//! discard, each chunk borrowed: `on_data_view`), `sink-owned` (the same with owned
//! chunks), `source` (write 1 MiB chunks as fast as the socket takes them), `http` (raw
//! HTTP hello), `work` (`echo` after a fixed amount of CPU work per chunk, about 200 µs
//! here: a server-bound load for `benches/cluster.rs`; the number of rounds is
//! `NODENET_BENCH_WORK_ROUNDS`, default 100,000) or `idle` (hold connections). Prints
//! `listening PORT` once ready. With WORKERS > 1, runs one loop per thread behind
//! SO_REUSEPORT.
use nodenet::net::{self, ListenOptions, events::*};

#[path = "http_hello.rs"]
mod http_hello;

/// The block `source` mode writes over and over, built once for every connection.
static SOURCE_BLOCK: std::sync::LazyLock<Vec<u8>> =
    std::sync::LazyLock::new(|| vec![b'x'; 1024 * 1024]);

/// The rounds of `burn` per chunk in `work` mode.
static WORK_ROUNDS: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| {
    std::env::var("NODENET_BENCH_WORK_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
});

/// CPU work standing for a handler's own (a parse, a render, a hash): a hash of the chunk,
/// then `rounds` dependent multiply-and-shift steps on it, which the compiler cannot skip
/// or run in parallel.
fn burn(bytes: &[u8], rounds: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325_u64;
    for b in bytes {
        h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
    for _ in 0..rounds {
        h ^= h >> 29;
        h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    }
    h
}

fn setup(mode: &str, port: u16, reuse: bool, announce: bool) {
    let server = net::create_server();
    match mode {
        // Each chunk is borrowed from the loop's read buffer and written back from it.
        "echo" => {
            server.on(Connection, |socket| {
                socket.set_no_delay(true);
                socket.on_data_view(move |bytes| {
                    socket.write_slice(bytes);
                });
                socket.on(Error, |_| {});
            });
        }
        // The echo of a server whose handler has work of its own: the load generator then
        // needs a small share of the CPU the server does. (Owned chunks, as `echo-owned`:
        // a second caller of `write_slice` here changed how the compiler inlined the
        // `echo` mode's, which then counted 11 more instructions per message.)
        "work" => {
            let rounds = *WORK_ROUNDS;
            server.on(Connection, move |socket| {
                socket.set_no_delay(true);
                socket.on(Data, move |chunk| {
                    std::hint::black_box(burn(chunk.as_bytes(), rounds));
                    socket.write(chunk);
                });
                socket.on(Error, |_| {});
            });
        }
        // Node's way: each chunk an owned `Bytes`, written back as it is.
        "echo-owned" => {
            server.on(Connection, |socket| {
                socket.set_no_delay(true);
                socket.on(Data, move |chunk| {
                    socket.write(chunk);
                });
                socket.on(Error, |_| {});
            });
        }
        // Each chunk borrowed where it was read, as the raw baseline reads into its buffer.
        "sink" => {
            server.on(Connection, |socket| {
                socket.on_data_view(|_| {});
                socket.on(Error, |_| {});
            });
        }
        // Node's way: each chunk an owned `Bytes`.
        "sink-owned" => {
            server.on(Connection, |socket| {
                socket.on(Data, |_| {});
                socket.on(Error, |_| {});
            });
        }
        "source" => {
            server.on(Connection, |socket| {
                // 1 MiB per write: the same amount the raw baseline hands the kernel per call,
                // and like its buffer, one static block: a clone of a static `Bytes` copies
                // three words, where a shared one raises and drops an atomic count per write.
                let b = bytes::Bytes::from_static(&SOURCE_BLOCK[..]);
                let pump = move || while socket.write(b.clone()) {};
                pump();
                socket.on(Drain, move |_| pump());
                socket.on(Error, |_| {});
                socket.resume();
            });
        }
        "http" => http_hello::serve(server),
        _ => {
            server.on(Connection, |socket| {
                socket.on(Data, |_| {});
                socket.on(Error, |_| {});
            });
        }
    }
    if announce {
        server.on(Listening, move |_| {
            println!(
                "listening {}",
                server.address().map(|a| a.port()).unwrap_or(0)
            );
        });
    }
    server.listen(ListenOptions::from((port, "127.0.0.1")).reuse_port(reuse));
}

fn main() -> nodenet::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).cloned().unwrap_or_else(|| "echo".into());
    let port: u16 = args.get(2).and_then(|p| p.parse().ok()).unwrap_or(0);
    let workers: usize = args.get(3).and_then(|p| p.parse().ok()).unwrap_or(1);
    if workers <= 1 {
        return nodenet::run(move || setup(&mode, port, false, true));
    }
    // Port 0 cannot be shared by reuse-port workers that each pick their own: find one first.
    let port = if port == 0 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .map(|l| l.local_addr().map(|a| a.port()).unwrap_or(0))
            .unwrap_or(0)
    } else {
        port
    };
    println!("listening {port}");
    nodenet::cluster::run(workers, move |_| setup(&mode, port, true, false))
}
