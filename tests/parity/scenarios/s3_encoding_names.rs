//! Encoding names as Node takes them, case-insensitive: readableEncoding is the canonical
//! name; an unknown name throws ERR_UNKNOWN_ENCODING ("Unknown encoding: <name>") from
//! setEncoding and from write, and changes nothing. In Rust a name becomes an `Encoding`
//! with `Encoding::from_name` (or `str::parse`), whose error is that one.
use nodenet::net::{Encoding, Socket, SocketOptions};

use super::s3_util::undef;

pub fn scenario() {
    let s = Socket::new(SocketOptions::default());
    let enc = move || undef(s.readable_encoding().map(|e| e.name()));
    for name in [
        "utf8",
        "UTF-8",
        "Utf8",
        "ucs2",
        "UCS-2",
        "utf16le",
        "UTF-16LE",
        "latin1",
        "Binary",
        "ASCII",
        "hex",
        "Base64",
        "BASE64URL",
    ] {
        s.set_encoding(Encoding::from_name(name).expect("known"));
        out!("{name} -> {}", enc());
    }
    for name in ["utf-7", "latin-1", "utf16", "base-64", "ucs", "utf 8"] {
        match Encoding::from_name(name) {
            Ok(e) => {
                s.set_encoding(e);
                out!("{name} accepted");
            }
            Err(e) => out!("{name} setEncoding {} {e} still {}", e.code(), enc()),
        }
        match name.parse::<Encoding>() {
            Ok(e) => {
                s.write_str("x", e);
                out!("{name} write accepted");
            }
            Err(e) => out!(
                "{name} write {} {e} writableLength {}",
                e.code(),
                s.writable_length()
            ),
        }
    }
    s.destroy();
}
