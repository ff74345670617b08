//! A few worker threads for blocking work (name lookups), as libuv's threadpool.
//!
//! Work goes out over a channel; results come back through a shared queue and the loop's
//! `mio::Waker`, and are handed to their completion callbacks in the poll phase.

use std::any::Any;
use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

pub(crate) type Done = Box<dyn Any + Send>;
type Job = Box<dyn FnOnce() -> Done + Send>;

/// Completed work: request id and result.
pub(crate) type Completions = Arc<Mutex<VecDeque<(u64, Done)>>>;

pub(crate) struct Pool {
    tx: Option<Sender<(u64, Job)>>,
    rx: Arc<Mutex<Receiver<(u64, Job)>>>,
    threads: Vec<std::thread::JoinHandle<()>>,
    busy: usize,
    pub completions: Completions,
    waker: Arc<mio::Waker>,
}

const MAX_THREADS: usize = 4;

impl Pool {
    pub fn new(waker: Arc<mio::Waker>) -> Pool {
        let (tx, rx) = channel();
        Pool {
            tx: Some(tx),
            rx: Arc::new(Mutex::new(rx)),
            threads: Vec::new(),
            busy: 0,
            completions: Arc::new(Mutex::new(VecDeque::new())),
            waker,
        }
    }

    /// Queue a job; a thread is started if all are busy and fewer than the cap exist.
    pub fn submit(&mut self, id: u64, job: Job) {
        self.busy += 1;
        if self.threads.len() < MAX_THREADS && self.busy > self.threads.len() {
            let rx = self.rx.clone();
            let done = self.completions.clone();
            let waker = self.waker.clone();
            let spawned = std::thread::Builder::new()
                .name("nodenet-pool".into())
                .spawn(move || {
                    loop {
                        let msg = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => return,
                        };
                        let Ok((id, job)) = msg else { return };
                        let out = job();
                        if let Ok(mut q) = done.lock() {
                            q.push_back((id, out));
                        }
                        let _ = waker.wake();
                    }
                });
            if let Ok(t) = spawned {
                self.threads.push(t);
            }
        }
        if let Some(tx) = &self.tx {
            let _ = tx.send((id, job));
        }
    }

    pub fn finished(&mut self) {
        self.busy = self.busy.saturating_sub(1);
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Closing the channel ends the threads once their current job is done; a lookup
        // stuck in getaddrinfo is not waited for.
        self.tx = None;
        self.threads.clear();
    }
}
