//! `nodenet`: the seed's two roles from the command line.
//!
//! - `nodenet serve`: the tutorial's servers. Greets every client with `hello` and prints
//!   what arrives; `--after-first-message close|unref` plays the `close()` and `unref()`
//!   programs; `--on-data echo` echoes instead; `--workers N` runs one loop per core
//!   behind SO_REUSEPORT, with a coordinated shutdown on Ctrl-C; `--path` listens on a
//!   Unix socket instead of a port; `--max-connections N` is Node's `maxConnections`
//!   (each connection refused is reported on stderr, from the server's `drop` event).
//! - `nodenet connect HOST PORT` (or `--path PATH`): the putty role. stdin goes to the
//!   socket, the socket to stdout; exits when the server ends the connection.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use nodenet::net::{self, Encoding, ListenOptions, events::*};

#[derive(Parser)]
#[command(
    name = "nodenet",
    version,
    about = "Node's net module, in Rust: serve and connect"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run the tutorial's server: greet each client, print (or echo) what it sends.
    Serve {
        /// Port to listen on.
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Host to bind (default: all addresses, IPv6 and IPv4).
        #[arg(long)]
        host: Option<String>,
        /// Listen on this Unix socket path instead of a TCP port.
        #[arg(long, conflicts_with_all = ["port", "host", "workers"])]
        path: Option<String>,
        /// Refuse connections beyond this many at once (Node's `maxConnections`; 0
        /// refuses all, as in Node 24; with --workers, a limit for each worker). Each
        /// refusal is reported on stderr.
        #[arg(long)]
        max_connections: Option<usize>,
        /// What to do with received data.
        #[arg(long, value_enum, default_value_t = OnData::Log)]
        on_data: OnData,
        /// After the first message: stop accepting (`close`) or let the process exit when
        /// the last client leaves (`unref`).
        #[arg(long, value_enum)]
        after_first_message: Option<After>,
        /// Greeting written to each new client (empty for none).
        #[arg(long, default_value = "hello")]
        greeting: String,
        /// Worker loops, one per thread, sharing the port with SO_REUSEPORT.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
        workers: u16,
    },
    /// Connect like putty: stdin to the server, the server to stdout.
    Connect {
        /// Host name or IP.
        #[arg(required_unless_present = "path")]
        host: Option<String>,
        /// Port.
        #[arg(required_unless_present = "path")]
        port: Option<u16>,
        /// Connect to this Unix socket path instead of HOST PORT.
        #[arg(long, conflicts_with_all = ["host", "port"])]
        path: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum OnData {
    Log,
    Echo,
    Discard,
}

#[derive(Clone, Copy, ValueEnum)]
enum After {
    Close,
    Unref,
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    let r = match cli.cmd {
        Cmd::Serve {
            port,
            host,
            path,
            max_connections,
            on_data,
            after_first_message,
            greeting,
            workers,
        } => {
            let cfg = ServeConfig {
                port,
                host,
                path,
                max_connections,
                on_data,
                after: after_first_message,
                greeting,
            };
            if workers > 1 {
                serve_cluster(cfg, usize::from(workers))
            } else {
                nodenet::run(move || serve(&cfg, false))
            }
        }
        Cmd::Connect { host, port, path } => match (path, host, port) {
            (Some(path), ..) => connect(net::ConnectOptions::path(path)),
            (None, Some(host), Some(port)) => connect((port, host).into()),
            // clap already requires HOST and PORT unless --path is given.
            _ => {
                eprintln!("nodenet: connect needs HOST PORT or --path PATH");
                return ExitCode::from(2);
            }
        },
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("nodenet: {e}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Clone)]
struct ServeConfig {
    port: u16,
    host: Option<String>,
    path: Option<String>,
    max_connections: Option<usize>,
    on_data: OnData,
    after: Option<After>,
    greeting: String,
}

/// Print a line to stdout; a closed stdout (`| head`) is not a crash.
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{line}").and_then(|_| out.flush()).is_err() {
        // Nobody reads our output any more; keep serving quietly.
    }
}

fn serve(cfg: &ServeConfig, reuse_port: bool) {
    let server = net::create_server();
    let (on_data, after, greeting) = (cfg.on_data, cfg.after, cfg.greeting.clone());
    server.on(Connection, move |socket| {
        if !greeting.is_empty() {
            socket.write(greeting.as_str());
        }
        if matches!(on_data, OnData::Log) {
            socket.set_encoding(Encoding::Utf8);
        }
        socket.on(Data, move |data| {
            match on_data {
                OnData::Log => say(&data.to_string()),
                OnData::Echo => {
                    socket.write(data);
                }
                OnData::Discard => {}
            }
            match after {
                Some(After::Close) => {
                    server.close();
                }
                Some(After::Unref) => {
                    server.unref();
                }
                None => {}
            }
        });
        socket.on(Error, |e| log::info!("client error: {e}"));
    });
    server.on(Close, |_| say("服务器关闭"));
    if let Some(max) = cfg.max_connections {
        server.set_max_connections(Some(max));
        server.on(net::events::Drop, move |info| {
            match (info.remote_address, info.remote_port) {
                (Some(address), Some(port)) => {
                    eprintln!(
                        "nodenet: dropped a connection from {address}:{port} (maxConnections {max})"
                    )
                }
                _ => eprintln!("nodenet: dropped a connection (maxConnections {max})"),
            }
        });
    }
    server.on(Error, |e| {
        eprintln!("nodenet: {e}");
        std::process::exit(1);
    });
    let opts = match &cfg.path {
        Some(path) => ListenOptions::path(path.clone()),
        None => {
            let mut opts = ListenOptions::from(cfg.port).reuse_port(reuse_port);
            opts.host = cfg.host.clone();
            opts
        }
    };
    server.listen(opts);
    nodenet::cluster::on_shutdown(move || {
        server.close();
    });
}

fn serve_cluster(cfg: ServeConfig, workers: usize) -> nodenet::Result<()> {
    block_signals();
    let cluster = nodenet::cluster::spawn(workers, move |_| serve(&cfg, true));
    let stop = cluster.shutdown_handle();
    std::thread::spawn(move || {
        wait_for_signal();
        eprintln!("nodenet: shutting down {workers} workers");
        stop();
        wait_for_signal();
        std::process::exit(130);
    });
    cluster.join()
}

fn sigset() -> libc::sigset_t {
    // SAFETY: sigset_t is plain data, initialised by sigemptyset before use.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGTERM);
        set
    }
}

/// Block SIGINT/SIGTERM in this thread and the threads it starts, so one thread can wait
/// for them and shut the workers down in order.
fn block_signals() {
    let set = sigset();
    // SAFETY: a valid, initialised signal set; the old mask is not needed.
    unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) };
}

fn wait_for_signal() {
    let set = sigset();
    let mut sig = 0;
    // SAFETY: a valid set and an out-parameter on the stack.
    unsafe { libc::sigwait(&set, &mut sig) };
}

fn connect(opts: net::ConnectOptions) -> nodenet::Result<()> {
    nodenet::run(move || {
        let client = net::connect(opts);
        client.on(Data, move |chunk| {
            let mut out = std::io::stdout().lock();
            if out
                .write_all(chunk.as_bytes())
                .and_then(|_| out.flush())
                .is_err()
            {
                // stdout is gone (`| head`): stop quietly.
                client.destroy();
            }
        });
        client.on(Connect, move |_| {
            let Some(remote) = nodenet::remote() else {
                return;
            };
            std::thread::spawn(move || pump_stdin(remote, client));
        });
    })
}

/// Read stdin on its own thread and hand each chunk to the loop.
fn pump_stdin(remote: nodenet::Remote, client: net::Socket) {
    let mut stdin = std::io::stdin().lock();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match stdin.read(&mut buf) {
            Ok(0) | Err(_) => {
                remote.call(move || {
                    client.end();
                });
                return;
            }
            Ok(n) => {
                let chunk = buf[..n].to_vec();
                if !remote.call(move || {
                    client.write(chunk);
                }) {
                    return;
                }
            }
        }
    }
}
