//! `nodenet`: the seed's two roles from the command line.
//!
//! - `nodenet serve`: the tutorial's servers. Greets every client with `hello` and prints
//!   what arrives; `--after-first-message close|unref` plays the `close()` and `unref()`
//!   programs; `--on-data echo` echoes instead; `--workers N` runs one loop per core
//!   behind SO_REUSEPORT, with a coordinated shutdown on Ctrl-C.
//! - `nodenet connect HOST PORT`: the putty role. stdin goes to the socket, the socket
//!   to stdout; exits when the server ends the connection.

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
        #[arg(long, default_value_t = 1)]
        workers: usize,
    },
    /// Connect like putty: stdin to the server, the server to stdout.
    Connect {
        /// Host name or IP.
        host: String,
        /// Port.
        port: u16,
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
            on_data,
            after_first_message,
            greeting,
            workers,
        } => {
            let cfg = ServeConfig {
                port,
                host,
                on_data,
                after: after_first_message,
                greeting,
            };
            if workers > 1 {
                serve_cluster(cfg, workers)
            } else {
                nodenet::run(move || serve(&cfg, false))
            }
        }
        Cmd::Connect { host, port } => connect(host, port),
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
    server.on(Error, |e| {
        eprintln!("nodenet: {e}");
        std::process::exit(1);
    });
    let mut opts = ListenOptions::from(cfg.port).reuse_port(reuse_port);
    opts.host = cfg.host.clone();
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

fn connect(host: String, port: u16) -> nodenet::Result<()> {
    nodenet::run(move || {
        let client = net::connect((port, host.as_str()));
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
