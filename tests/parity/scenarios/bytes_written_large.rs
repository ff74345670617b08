//! bytesWritten counts both parts of a large write: what the kernel took at once and what
//! waits in the queue (test-net-bytes-written-large): 10 MB as a buffer through end(), as a
//! string through end(), and a corked string plus a buffer (one writev) then end(""). Each
//! count right after the call, in end's callback, and the client's bytesRead at its close.
use nodenet::net::{self, Encoding, Socket, events::*};

const N: usize = 10_000_000;

type Write = fn(Socket, &'static str) -> Vec<u64>;

fn done(name: &'static str, s: Socket) -> impl FnOnce(Option<nodenet::Error>) {
    move |_| {
        note!(
            &format!("{name} server"),
            "end callback {}",
            s.bytes_written()
        )
    }
}

fn buffer(s: Socket, name: &'static str) -> Vec<u64> {
    s.end_with_cb(vec![0u8; N], Encoding::Utf8, done(name, s));
    vec![s.bytes_written()]
}

fn string(s: Socket, name: &'static str) -> Vec<u64> {
    s.end_with_cb("a".repeat(N), Encoding::Utf8, done(name, s));
    vec![s.bytes_written()]
}

fn corked_writev(s: Socket, name: &'static str) -> Vec<u64> {
    s.cork();
    s.write("a".repeat(N));
    let first = s.bytes_written();
    s.write(vec![0u8; N]);
    let second = s.bytes_written();
    s.end_with_cb("", Encoding::Utf8, done(name, s));
    s.uncork();
    vec![first, second]
}

const VARIANTS: [(&str, Write); 3] = [
    ("buffer", buffer),
    ("string", string),
    ("corked writev", corked_writev),
];

fn run(i: usize) {
    let Some(&(name, write)) = VARIANTS.get(i) else {
        return;
    };
    let server = net::create_server();
    server.on(Connection, move |s| {
        let counts: Vec<String> = write(s, name).iter().map(u64::to_string).collect();
        note!(
            &format!("{name} server"),
            "after the calls {}",
            counts.join(" ")
        );
    });
    server.on(Listening, move |_| {
        let port = server.address().map(|a| a.port()).unwrap_or(0);
        let c = net::connect((port, "127.0.0.1"));
        c.resume();
        c.on(Close, move |_| {
            out!("{name} client close, bytesRead {}", c.bytes_read());
            server.close_cb(move |_| run(i + 1));
        });
    });
    server.listen((0, "127.0.0.1"));
}

pub fn scenario() {
    run(0);
}
