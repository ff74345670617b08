//! 100 rounds of cork, two 2-byte writes, uncork: every write returns true, nothing stays
//! queued after uncork, all 400 bytes arrive (Node's test-net-sync-cork).
use nodenet::net::{self, ServerOptions, events::*};

use super::s3_util::{Count, serve};

pub fn scenario() {
    serve(
        ServerOptions::default(),
        |s| {
            let n = Count::default();
            let n2 = n.clone();
            s.on(Data, move |d| {
                n2.add(d.len());
            });
            s.on(End, move |_| note!("srvSock", "got {}", n.get()));
        },
        |server, port| {
            let c = net::connect((port, "127.0.0.1"));
            c.on(Connect, move |_| {
                let mut all_true = true;
                let mut max_length = 0;
                for _ in 0..100 {
                    c.cork();
                    all_true &= c.write(b"ab");
                    all_true &= c.write("cd");
                    max_length = max_length.max(c.writable_length());
                    c.uncork();
                    if c.writable_length() != 0 {
                        all_true = false;
                    }
                }
                out!(
                    "all true {all_true} corked length {max_length} bytesWritten {}",
                    c.bytes_written()
                );
                c.end();
            });
            c.on(Close, move |e| {
                out!("close {e}");
                server.close();
            });
        },
    );
}
