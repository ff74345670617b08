//! The randomized differential test of the encodings: random strings through
//! `Buffer.from(string, enc)` ([`encode`]), random bytes through `buffer.toString(enc)`
//! ([`decode`]) and random bytes cut into random chunks through a `StringDecoder`
//! ([`StringDecoder`], what `setEncoding` decodes with), in all seven encodings, under
//! Node 24 (`js/fuzz_encoding.js`, all cases in one run) and on nodenet; every result must
//! be equal. A lone surrogate in Node's string is compared as U+FFFD, which is what a Rust
//! string holds in its place, and a `utf16le` decoder's results are compared after the
//! driver has moved Node's high surrogates as nodenet's decoder does (the documented
//! difference: one that ends a result waits for the next, see `stream::decoder`).
//!
//! The strings mix what each encoding's parser treats specially: hex digits in either case
//! and non-digits, both base64 alphabets, `=` anywhere, white space, ASCII, Latin-1, BMP
//! and astral characters. The bytes mix ASCII, whole and cut UTF-8 sequences, invalid
//! bytes, and UTF-16LE units with paired and lone surrogates.
//! `NODENET_FUZZ_ENCODING_SEED` and `NODENET_FUZZ_ENCODING_CASES` choose the cases
//! (default seed 1, 3,000 cases).

use nodenet::encoding::{Encoding, decode, encode};
use nodenet::stream::decoder::StringDecoder;

use crate::harness::{self, Rng};

const ENCODINGS: &[&str] = &[
    "utf8",
    "utf16le",
    "latin1",
    "ascii",
    "base64",
    "base64url",
    "hex",
];

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(h: &str) -> Vec<u8> {
    (0..h.len() / 2)
        .filter_map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).ok())
        .collect()
}

fn string(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "0", "7", "a", "F", "g", "z", "+", "/", "-", "_", "=", "==", " ", "\n", "\t", "A", "Q",
        "é", "ÿ", "€", "中", "😀", "\u{1}", "\u{7f}", "\u{80}", "~", ".",
    ];
    let n = rng.below(24);
    let mut s = String::new();
    for _ in 0..n {
        if rng.below(3) == 0 {
            s.push_str(PIECES[rng.below(PIECES.len() as u64) as usize]);
        } else {
            // A digit of the encoding under test more often than not.
            const DIGITS: &[u8] = b"0123456789abcdefABCDEFghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ";
            s.push(char::from(DIGITS[rng.below(DIGITS.len() as u64) as usize]));
        }
    }
    s
}

fn bytes(rng: &mut Rng) -> Vec<u8> {
    const PIECES: &[&[u8]] = &[
        b"A",
        b"z",
        b"\x00",
        b"\x7f",
        b"\x80",
        b"\xff",
        b"\xc3\xa9",
        b"\xe2\x82\xac",
        b"\xf0\x9f\x98\x80",
        b"\xe2\x82",
        b"\xf0\x9f",
        b"\xc0\xaf",
        b"\xed\xa0\x80",
        b"\x3d\xd8\x00\xde", // U+1F600 in UTF-16LE
        b"\x3d\xd8",         // a lone high surrogate
        b"\x00\xde",         // a lone low surrogate
        b"\x41\x00",
    ];
    let n = rng.below(16);
    let mut v = Vec::new();
    for _ in 0..n {
        if rng.below(4) == 0 {
            v.push(rng.below(256) as u8);
        } else {
            v.extend_from_slice(PIECES[rng.below(PIECES.len() as u64) as usize]);
        }
    }
    v
}

fn generate(rng: &mut Rng) -> String {
    let enc = ENCODINGS[rng.below(ENCODINGS.len() as u64) as usize];
    match rng.below(3) {
        0 => format!("E {enc} {}", hex(string(rng).as_bytes())),
        1 => format!("D {enc} {}", hex(&bytes(rng))),
        _ => {
            let b = bytes(rng);
            let mut cuts: Vec<usize> = (0..rng.below(5))
                .map(|_| rng.below(b.len() as u64 + 1) as usize)
                .collect();
            cuts.sort_unstable();
            let mut chunks = Vec::new();
            let mut at = 0;
            for c in cuts.into_iter().chain([b.len()]) {
                chunks.push(hex(&b[at..c]));
                at = c;
            }
            format!("S {enc} {}", chunks.join(","))
        }
    }
}

/// nodenet's line for one case, as the JS driver prints it.
fn line(case: &str) -> String {
    let mut parts = case.split(' ');
    let (kind, enc, arg) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let Ok(enc) = Encoding::from_name(enc) else {
        return format!("unknown encoding {enc}");
    };
    match kind {
        "E" => hex(&encode(&String::from_utf8_lossy(&unhex(arg)), enc)),
        "D" => hex(decode(&unhex(arg), enc).as_bytes()),
        _ => {
            let mut d = StringDecoder::new(enc);
            let mut res: Vec<String> = arg
                .split(',')
                .map(|h| hex(d.write(&unhex(h)).as_bytes()))
                .collect();
            res.push(hex(d.end().as_bytes()));
            res.join(",")
        }
    }
}

#[test]
fn fuzz_encoding() {
    let cases = harness::fuzz_scripts("NODENET_FUZZ_ENCODING", 3000, &[], generate);
    let Some(dir) = harness::fresh_dir("fuzz_encoding") else {
        panic!("fuzz_encoding: no directory for the cases");
    };
    let file = dir.join("cases.txt");
    std::fs::write(&file, cases.join("\n")).expect("write the cases");
    let node = harness::run_node("fuzz_encoding", &[file.to_str().unwrap_or_default()]);
    let _ = std::fs::remove_dir_all(&dir);
    let ours: Vec<String> = cases
        .iter()
        .map(|c| line(c))
        .chain(["exit".to_string()])
        .collect();
    let diffs: Vec<String> = cases
        .iter()
        .zip(node.iter().zip(&ours))
        .filter(|(_, (a, b))| a != b)
        .map(|(c, (a, b))| format!("{c}\n  node:    {a}\n  nodenet: {b}"))
        .collect();
    assert!(
        diffs.is_empty() && node.len() == ours.len(),
        "fuzz_encoding: {} of {} cases differ ({} lines from Node, {} from nodenet):\n{}",
        diffs.len(),
        cases.len(),
        node.len(),
        ours.len(),
        diffs.join("\n")
    );
}
