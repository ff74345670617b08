//! end(cb) and then, in the same tick, destroy(), destroy(err) or resetAndDestroy() on a
//! socket never connected: the `finish` that end() queued still comes, after the end
//! callback (given no error), and before the destroy's error and `close`.
use nodenet::Error as NetError;
use nodenet::net::{Socket, SocketOptions, events::*};

fn code(e: Option<NetError>) -> String {
    e.map(|e| e.code().to_string())
        .unwrap_or_else(|| "null".into())
}

pub fn scenario() {
    for mode in ["destroy", "destroyErr", "reset"] {
        let s = Socket::new(SocketOptions::default());
        s.on(Error, move |e| {
            let what = if e.code().is_empty() {
                e.message().to_string()
            } else {
                e.code().to_string()
            };
            note!(mode, "error {what}")
        });
        s.on(Finish, move |_| {
            note!(mode, "finish {}", s.writable_finished())
        });
        s.on(Close, move |_| note!(mode, "close {}", s.destroyed()));
        s.end_then(move |e| note!(mode, "end cb {}", code(e)));
        match mode {
            "destroyErr" => {
                s.destroy_with(NetError::other("boom"));
            }
            "reset" => {
                s.reset_and_destroy();
            }
            _ => {
                s.destroy();
            }
        }
        note!(mode, "after {} {}", s.destroyed(), s.writable_finished());
    }
}
