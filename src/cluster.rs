//! One loop per core: threads each running their own loop, each with its own
//! `SO_REUSEPORT` listener on the same port, so the kernel spreads connections across them.
//!
//! Node reaches several cores with its `cluster` module (processes, a primary handing out
//! connections or sharing a handle). Here a worker is a thread with a loop of its own; no
//! state is shared, so nothing is locked on the hot path. Each worker's setup listens with
//! [`ListenOptions::reuse_port`](crate::net::ListenOptions::reuse_port) set.
//!
//! Shutdown is coordinated: [`Cluster::shutdown`] runs, on every worker's thread, the hooks
//! that worker registered with [`on_shutdown`] (typically `server.close()`), so each loop
//! finishes its open connections and returns; [`Cluster::join`] waits for all of them.
//!
//! ```
//! use nodenet::net::{self, ListenOptions, events::*};
//! let cluster = nodenet::cluster::spawn(2, |_worker| {
//!     let server = net::create_server();
//!     server.on(Connection, |socket| {
//!         socket.end_with("hi");
//!     });
//!     server.listen(ListenOptions::from((0, "127.0.0.1")).reuse_port(true));
//!     nodenet::cluster::on_shutdown(move || {
//!         server.close();
//!     });
//! });
//! cluster.shutdown();
//! cluster.join()?;
//! # Ok::<(), nodenet::Error>(())
//! ```

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::error::{Error, Result};
use crate::rt::{self, Remote};

thread_local! {
    static HOOKS: RefCell<Vec<Box<dyn FnOnce()>>> = const { RefCell::new(Vec::new()) };
}

struct Shared {
    remotes: Mutex<Vec<Remote>>,
    stopping: AtomicBool,
}

impl Shared {
    fn signal(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        if let Ok(v) = self.remotes.lock() {
            for r in v.iter() {
                r.call(run_hooks);
            }
        }
    }
}

/// A running group of worker loops.
pub struct Cluster {
    threads: Vec<JoinHandle<Result<()>>>,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("workers", &self.threads.len())
            .finish()
    }
}

/// Register `f` to run on this worker's loop when the cluster shuts down.
pub fn on_shutdown(f: impl FnOnce() + 'static) {
    HOOKS.with(|h| h.borrow_mut().push(Box::new(f)));
}

fn run_hooks() {
    let hooks = HOOKS.with(|h| std::mem::take(&mut *h.borrow_mut()));
    for h in hooks {
        h();
    }
}

/// Start `workers` threads, each running a loop that calls `setup(worker_index)`.
pub fn spawn<F>(workers: usize, setup: F) -> Cluster
where
    F: Fn(usize) + Send + Sync + 'static,
{
    let setup = Arc::new(setup);
    let shared = Arc::new(Shared {
        remotes: Mutex::new(Vec::new()),
        stopping: AtomicBool::new(false),
    });
    let threads = (0..workers.max(1))
        .map(|i| {
            let setup = setup.clone();
            let shared = shared.clone();
            std::thread::Builder::new()
                .name(format!("nodenet-worker-{i}"))
                .spawn(move || {
                    let r = rt::run(|| {
                        setup(i);
                        if let Some(remote) = rt::remote()
                            && let Ok(mut v) = shared.remotes.lock()
                        {
                            v.push(remote);
                        }
                        if shared.stopping.load(Ordering::SeqCst) {
                            run_hooks();
                        }
                    });
                    HOOKS.with(|h| h.borrow_mut().clear());
                    r
                })
                .map_err(|e| Error::from_io(&e, "pthread_create"))
        })
        .filter_map(|t| match t {
            Ok(t) => Some(t),
            Err(e) => {
                log::error!("could not start a worker: {e}");
                None
            }
        })
        .collect();
    Cluster { threads, shared }
}

/// Start `workers` loops and wait for all of them (see [`spawn`]).
pub fn run<F>(workers: usize, setup: F) -> Result<()>
where
    F: Fn(usize) + Send + Sync + 'static,
{
    spawn(workers, setup).join()
}

impl Cluster {
    /// How many workers run.
    pub fn workers(&self) -> usize {
        self.threads.len()
    }

    /// Ask every worker to run its shutdown hooks; workers that have not finished their
    /// setup yet run them right after it.
    pub fn shutdown(&self) {
        self.shared.signal();
    }

    /// A handle that can shut the cluster down from another thread (a signal handler thread).
    pub fn shutdown_handle(&self) -> impl Fn() + Send + Sync + 'static {
        let shared = self.shared.clone();
        move || shared.signal()
    }

    /// Wait for every worker's loop to end; the first error wins.
    pub fn join(self) -> Result<()> {
        let mut first = Ok(());
        for t in self.threads {
            let r = t
                .join()
                .unwrap_or_else(|_| Err(Error::other("a worker thread panicked")));
            if first.is_ok() {
                first = r;
            }
        }
        first
    }
}
