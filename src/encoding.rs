//! Character encodings understood by Node's `Buffer` and `string_decoder`.
//!
//! [`Encoding`] names the seven text encodings Node accepts wherever an
//! encoding argument is taken (`socket.setEncoding`, `socket.write(s, enc)`,
//! `Buffer.from`, ...). [`encode`] turns a string into bytes the way
//! `Buffer.from(string, encoding)` does and [`decode`] turns bytes into a
//! string the way `buffer.toString(encoding)` does, including Node's lenient
//! corner cases (all checked against Node 24):
//!
//! * Node works on UTF-16 code units. Wherever Node stores "one byte per
//!   character" (`latin1`, `ascii`) or parses characters as digits (`hex`,
//!   `base64`, `base64url`) it looks only at the **low byte** of each UTF-16
//!   code unit. So `'€'` (U+20AC) encodes to `0xAC` in latin1, and a
//!   character outside the BMP (two surrogate units) gives two bytes.
//! * `hex` decodes pairs of digits and stops at the first pair containing a
//!   non-digit; an odd last digit is ignored.
//! * `base64` and `base64url` both accept either alphabet, skip every
//!   character that is not in it (whitespace included), stop at the first
//!   `=`, and do not require padding; a single dangling digit is dropped.
//! * Decoding `utf8` replaces each maximal ill-formed subsequence with one
//!   U+FFFD (the WHATWG rule, which V8 and Rust's `from_utf8_lossy` share).
//! * Decoding `ascii` clears the high bit of every byte (Node 24 behaviour);
//!   `latin1` maps every byte to the code point of the same value.
//! * Decoding `utf16le` drops an odd trailing byte. A JavaScript string may
//!   hold unpaired surrogates but a Rust [`String`] cannot, so [`decode`]
//!   replaces each unpaired surrogate with U+FFFD.

use std::fmt;
use std::str::FromStr;

/// The Unicode replacement character, used for undecodable input.
pub(crate) const REPLACEMENT: char = '\u{FFFD}';

/// A text encoding as named by Node (`'utf8'`, `'hex'`, ...).
///
/// ```
/// use nodenet::encoding::Encoding;
///
/// let enc: Encoding = "UCS-2".parse().unwrap();
/// assert_eq!(enc, Encoding::Utf16le);
/// assert_eq!(enc.name(), "utf16le");
/// assert_eq!(Encoding::from_name("binary"), Ok(Encoding::Latin1));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// `'utf8'` (also `'utf-8'`); the default.
    #[default]
    Utf8,
    /// `'utf16le'` (also `'utf-16le'`, `'ucs2'`, `'ucs-2'`): little-endian UTF-16.
    Utf16le,
    /// `'latin1'` (also `'binary'`): one byte per character, U+0000..=U+00FF.
    Latin1,
    /// `'ascii'`: like latin1 when encoding; clears the high bit when decoding.
    Ascii,
    /// `'base64'`: RFC 4648 standard alphabet, padded when producing text.
    Base64,
    /// `'base64url'`: RFC 4648 URL-safe alphabet, never padded when producing text.
    Base64url,
    /// `'hex'`: two lowercase hexadecimal digits per byte.
    Hex,
}

impl Encoding {
    /// Every encoding, in declaration order.
    pub const ALL: [Encoding; 7] = [
        Encoding::Utf8,
        Encoding::Utf16le,
        Encoding::Latin1,
        Encoding::Ascii,
        Encoding::Base64,
        Encoding::Base64url,
        Encoding::Hex,
    ];

    /// Looks an encoding up by name, ignoring ASCII case, accepting exactly
    /// the spellings Node accepts: `utf8`, `utf-8`, `utf16le`, `utf-16le`,
    /// `ucs2`, `ucs-2`, `latin1`, `binary`, `ascii`, `base64`, `base64url`
    /// and `hex`.
    ///
    /// The empty string means the default, `utf8`, as it does for
    /// `Buffer.from(s, '')` and `new StringDecoder('')` (although
    /// `Buffer.isEncoding('')` is false).
    ///
    /// ```
    /// use nodenet::encoding::Encoding;
    ///
    /// assert_eq!(Encoding::from_name("Utf-8"), Ok(Encoding::Utf8));
    /// let err = Encoding::from_name("latin-1").unwrap_err();
    /// assert_eq!(err.to_string(), "Unknown encoding: latin-1");
    /// assert_eq!(err.code(), "ERR_UNKNOWN_ENCODING");
    /// ```
    pub fn from_name(name: &str) -> Result<Encoding, UnknownEncoding> {
        const NAMES: [(&str, Encoding); 12] = [
            ("utf8", Encoding::Utf8),
            ("utf-8", Encoding::Utf8),
            ("utf16le", Encoding::Utf16le),
            ("utf-16le", Encoding::Utf16le),
            ("ucs2", Encoding::Utf16le),
            ("ucs-2", Encoding::Utf16le),
            ("latin1", Encoding::Latin1),
            ("binary", Encoding::Latin1),
            ("ascii", Encoding::Ascii),
            ("base64", Encoding::Base64),
            ("base64url", Encoding::Base64url),
            ("hex", Encoding::Hex),
        ];
        if name.is_empty() {
            return Ok(Encoding::Utf8);
        }
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, e)| e)
            .ok_or_else(|| UnknownEncoding(name.to_owned()))
    }

    /// Node's canonical name: `'utf8'`, `'utf16le'`, `'latin1'`, `'ascii'`,
    /// `'base64'`, `'base64url'` or `'hex'` (what `decoder.encoding` reports).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf8",
            Encoding::Utf16le => "utf16le",
            Encoding::Latin1 => "latin1",
            Encoding::Ascii => "ascii",
            Encoding::Base64 => "base64",
            Encoding::Base64url => "base64url",
            Encoding::Hex => "hex",
        }
    }
}

impl FromStr for Encoding {
    type Err = UnknownEncoding;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Encoding::from_name(s)
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The encoding name given was not one Node knows (`ERR_UNKNOWN_ENCODING`).
///
/// Holds the name exactly as it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEncoding(pub String);

impl UnknownEncoding {
    /// Node's error code for this error.
    pub const CODE: &'static str = "ERR_UNKNOWN_ENCODING";

    /// Node's error code, [`UnknownEncoding::CODE`].
    pub fn code(&self) -> &'static str {
        Self::CODE
    }
}

impl fmt::Display for UnknownEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Unknown encoding: {}", self.0)
    }
}

impl std::error::Error for UnknownEncoding {}

/// Converts a string to bytes like Node's `Buffer.from(s, enc)`.
///
/// See the [module documentation](self) for the lenient parsing rules of
/// `hex` and `base64`, and for how characters above U+00FF are narrowed by
/// `latin1` and `ascii` (low byte of each UTF-16 code unit).
///
/// ```
/// use nodenet::encoding::{encode, Encoding};
///
/// assert_eq!(encode("héllo", Encoding::Utf8), b"h\xc3\xa9llo");
/// assert_eq!(encode("€", Encoding::Latin1), [0xac]);
/// assert_eq!(encode("12 34", Encoding::Hex), [0x12]);
/// assert_eq!(encode("QU JD\nRA", Encoding::Base64), b"ABCD");
/// ```
pub fn encode(s: &str, enc: Encoding) -> Vec<u8> {
    match enc {
        Encoding::Utf8 => s.as_bytes().to_vec(),
        Encoding::Utf16le => {
            let mut out = Vec::with_capacity(s.len() * 2);
            for unit in s.encode_utf16() {
                out.extend_from_slice(&unit.to_le_bytes());
            }
            out
        }
        Encoding::Latin1 | Encoding::Ascii => {
            if s.is_ascii() {
                s.as_bytes().to_vec()
            } else {
                low_bytes(s).collect()
            }
        }
        Encoding::Hex => hex_to_bytes(low_bytes(s)),
        Encoding::Base64 | Encoding::Base64url => base64_to_bytes(low_bytes(s)),
    }
}

/// Converts bytes to a string like Node's `buffer.toString(enc)`.
///
/// Unlike a JavaScript string, the result cannot contain unpaired UTF-16
/// surrogates: decoding `utf16le` maps each of them to U+FFFD.
///
/// ```
/// use nodenet::encoding::{decode, Encoding};
///
/// assert_eq!(decode(b"\xf0\x9f\x98\x41", Encoding::Utf8), "\u{FFFD}A");
/// assert_eq!(decode(&[0x80, 0xff, 0x41], Encoding::Ascii), "\0\u{7f}A");
/// assert_eq!(decode(&[0x41, 0x00, 0x42], Encoding::Utf16le), "A");
/// assert_eq!(decode(&[0x00, 0xd8], Encoding::Utf16le), "\u{FFFD}");
/// assert_eq!(decode(&[0xfb, 0xff], Encoding::Base64), "+/8=");
/// assert_eq!(decode(&[0xfb, 0xff], Encoding::Base64url), "-_8");
/// ```
pub fn decode(bytes: &[u8], enc: Encoding) -> String {
    let mut out = String::new();
    push_decoded(&mut out, bytes, enc);
    out
}

/// Appends `decode(bytes, enc)` to `out`.
pub(crate) fn push_decoded(out: &mut String, bytes: &[u8], enc: Encoding) {
    match enc {
        Encoding::Utf8 => push_utf8_lossy(out, bytes),
        Encoding::Utf16le => {
            let mut pending = None;
            push_utf16le(out, &mut pending, &bytes[..bytes.len() & !1]);
            if pending.is_some() {
                out.push(REPLACEMENT);
            }
        }
        Encoding::Latin1 | Encoding::Ascii if bytes.is_ascii() => {
            out.push_str(std::str::from_utf8(bytes).expect("ASCII is UTF-8"));
        }
        Encoding::Latin1 => out.extend(bytes.iter().map(|&b| char::from(b))),
        Encoding::Ascii => out.extend(bytes.iter().map(|&b| char::from(b & 0x7f))),
        Encoding::Base64 => push_base64(out, bytes, &BASE64_ALPHABET, true),
        Encoding::Base64url => push_base64(out, bytes, &BASE64URL_ALPHABET, false),
        Encoding::Hex => {
            const DIGITS: &[u8; 16] = b"0123456789abcdef";
            out.reserve(bytes.len() * 2);
            for &b in bytes {
                out.push(char::from(DIGITS[usize::from(b >> 4)]));
                out.push(char::from(DIGITS[usize::from(b & 0xf)]));
            }
        }
    }
}

/// Appends `bytes` decoded as UTF-8, replacing each maximal ill-formed
/// subsequence with U+FFFD. Valid input costs one `from_utf8` pass and one
/// copy.
pub(crate) fn push_utf8_lossy(out: &mut String, bytes: &[u8]) {
    match std::str::from_utf8(bytes) {
        Ok(s) => out.push_str(s),
        Err(_) => {
            for chunk in bytes.utf8_chunks() {
                out.push_str(chunk.valid());
                if !chunk.invalid().is_empty() {
                    out.push(REPLACEMENT);
                }
            }
        }
    }
}

/// Appends little-endian UTF-16 `bytes` (even length) to `out`.
///
/// `pending` carries a high surrogate that ended the previous piece: it is
/// joined with a low surrogate starting this piece, or replaced by U+FFFD if
/// anything else follows. A high surrogate ending this piece is left in
/// `pending` for the caller to resolve. Unpaired low surrogates become U+FFFD.
pub(crate) fn push_utf16le(out: &mut String, pending: &mut Option<u16>, bytes: &[u8]) {
    debug_assert!(bytes.len().is_multiple_of(2));
    out.reserve(bytes.len() / 2);
    for pair in bytes.chunks_exact(2) {
        let unit = u16::from_le_bytes([pair[0], pair[1]]);
        if let Some(high) = pending.take() {
            if (0xDC00..=0xDFFF).contains(&unit) {
                let cp = 0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                out.push(char::from_u32(cp).unwrap_or(REPLACEMENT));
                continue;
            }
            out.push(REPLACEMENT);
        }
        match unit {
            0xD800..=0xDBFF => *pending = Some(unit),
            // Unpaired low surrogate; `from_u32` rejects it.
            _ => out.push(char::from_u32(u32::from(unit)).unwrap_or(REPLACEMENT)),
        }
    }
}

const BASE64_ALPHABET: [u8; 64] =
    *b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64URL_ALPHABET: [u8; 64] =
    *b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends the base64 text of `bytes`, padded with `=` when `pad` is set.
fn push_base64(out: &mut String, bytes: &[u8], alphabet: &[u8; 64], pad: bool) {
    out.reserve(bytes.len().div_ceil(3) * 4);
    let digit = |v: u32| char::from(alphabet[(v & 0x3f) as usize]);
    let mut groups = bytes.chunks_exact(3);
    for g in &mut groups {
        let v = u32::from(g[0]) << 16 | u32::from(g[1]) << 8 | u32::from(g[2]);
        out.extend([digit(v >> 18), digit(v >> 12), digit(v >> 6), digit(v)]);
    }
    match *groups.remainder() {
        [a] => {
            let v = u32::from(a) << 16;
            out.extend([digit(v >> 18), digit(v >> 12)]);
            if pad {
                out.push_str("==");
            }
        }
        [a, b] => {
            let v = u32::from(a) << 16 | u32::from(b) << 8;
            out.extend([digit(v >> 18), digit(v >> 12), digit(v >> 6)]);
            if pad {
                out.push('=');
            }
        }
        _ => {}
    }
}

/// The low byte of every UTF-16 code unit of `s`, which is what Node's
/// one-byte writers and digit parsers look at.
fn low_bytes(s: &str) -> impl Iterator<Item = u8> + '_ {
    s.encode_utf16().map(|unit| unit as u8)
}

/// Value of a hexadecimal digit, if it is one.
fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Node's hex parser: whole pairs of digits, stopping at the first pair that
/// is not two digits (an odd last character is never looked at).
fn hex_to_bytes(mut chars: impl Iterator<Item = u8>) -> Vec<u8> {
    let mut out = Vec::new();
    while let (Some(a), Some(b)) = (chars.next(), chars.next()) {
        match (hex_value(a), hex_value(b)) {
            (Some(a), Some(b)) => out.push(a << 4 | b),
            _ => break,
        }
    }
    out
}

/// Value of a digit of either base64 alphabet, if it is one.
fn base64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// Node's forgiving base64 parser: digits of both alphabets count, anything
/// else is skipped, the first `=` ends the input; 2 or 3 trailing digits give
/// 1 or 2 bytes, a single trailing digit gives nothing.
fn base64_to_bytes(chars: impl Iterator<Item = u8>) -> Vec<u8> {
    let (lower, _) = chars.size_hint();
    let mut out = Vec::with_capacity(lower / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for c in chars {
        if c == b'=' {
            break;
        }
        let Some(v) = base64_value(c) else { continue };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len() / 2)
            .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn names_like_node() {
        // node -e "for (const e of [...]) try { console.log(e, new
        //   (require('string_decoder').StringDecoder)(e).encoding) }
        //   catch (x) { console.log(e, x.code, x.message) }"
        let ok = [
            ("UTF8", "utf8"),
            ("Utf-8", "utf8"),
            ("utf-8", "utf8"),
            ("UCS2", "utf16le"),
            ("ucs-2", "utf16le"),
            ("Ucs-2", "utf16le"),
            ("utf16le", "utf16le"),
            ("UTF-16LE", "utf16le"),
            ("uTf-16Le", "utf16le"),
            ("binary", "latin1"),
            ("BINARY", "latin1"),
            ("LATIN1", "latin1"),
            ("base64", "base64"),
            ("Base64Url", "base64url"),
            ("HEX", "hex"),
            ("aScIi", "ascii"),
            ("", "utf8"),
        ];
        for (given, canonical) in ok {
            let e = Encoding::from_name(given).unwrap();
            assert_eq!(e.name(), canonical, "{given}");
            assert_eq!(given.parse::<Encoding>(), Ok(e));
            assert_eq!(e.to_string(), canonical);
            assert_eq!(Encoding::from_name(canonical), Ok(e));
        }
        for bad in [
            "utf16-le",
            "Latin-1",
            "latin-1",
            "base64-url",
            "us-ascii",
            "utf 8",
            "utf16",
            "ucs2 ",
            "buffer",
            "\u{212A}ey",
        ] {
            let err = Encoding::from_name(bad).unwrap_err();
            assert_eq!(err, UnknownEncoding(bad.to_owned()));
            assert_eq!(err.to_string(), format!("Unknown encoding: {bad}"));
            assert_eq!(err.code(), "ERR_UNKNOWN_ENCODING");
            assert_eq!(UnknownEncoding::CODE, "ERR_UNKNOWN_ENCODING");
        }
        assert_eq!(Encoding::default(), Encoding::Utf8);
        for e in Encoding::ALL {
            assert_eq!(Encoding::from_name(e.name()), Ok(e));
        }
    }

    #[test]
    fn encode_hex_like_node() {
        // node -e "for (const s of [...]) console.log(JSON.stringify(s),
        //   Buffer.from(s, 'hex').toString('hex'))"
        let cases = [
            ("abcd", "abcd"),
            ("abc", "ab"),
            ("0g12", ""),
            ("abcdef0", "abcdef"),
            ("ABcd", "abcd"),
            ("a", ""),
            ("0x12", ""),
            ("12 34", "12"),
            ("1234zz56", "1234"),
            ("\u{e9}", ""),
            ("fg", ""),
            // Low byte of U+0161 is 'a', of U+0162 'b', of U+0130 '0'.
            ("\u{161}\u{162}", "ab"),
            ("a\u{130}", "a0"),
            ("\u{1F600}", ""),
            ("ab\u{100}", "ab"),
        ];
        for (s, want) in cases {
            assert_eq!(hex(&encode(s, Encoding::Hex)), want, "{s:?}");
        }
    }

    #[test]
    fn encode_base64_like_node() {
        // node -e "for (const s of [...]) for (const e of ['base64',
        //   'base64url']) console.log(JSON.stringify(s), e,
        //   Buffer.from(s, e).toString('hex'))"
        // Both encodings gave identical bytes for every input.
        let cases = [
            ("QUJD", "414243"),
            ("QUJ", "4142"),
            ("QU", "41"),
            ("Q", ""),
            ("QUJDRA", "41424344"),
            ("QUJDRA==", "41424344"),
            ("QUJDRA=", "41424344"),
            ("Q U\nJ\tD", "414243"),
            ("QUJ-_w", "41427eff"),
            ("QUJ+/w", "41427eff"),
            ("QU=JD", "41"),
            ("QUJD=RA", "414243"),
            ("QUJDR===A", "414243"),
            ("QQ==QQ==", "41"),
            ("====", ""),
            ("QUJ\u{e9}D", "414243"),
            ("QUJ.D", "414243"),
            ("QQ=", "41"),
            ("QQ=x", "41"),
            ("////", "ffffff"),
            ("----", "fbefbe"),
            ("____", "ffffff"),
            ("QQQQQ", "410410"),
            ("QUJDRA=\n=", "41424344"),
            ("QQ==  ", "41"),
            ("Q=Q=", ""),
            ("ab=c", "69"),
            ("QR==", "41"),
            ("QUK=", "4142"),
            ("Q\u{b}Q", "41"),
            ("QQ\u{3000}QQ", "410410"),
            // Low byte of U+0151 is 'Q'; of U+013D is '='; U+1F600 is the
            // units D83D DE00, whose first low byte is '='.
            ("\u{151}UJD", "414243"),
            ("QU\u{13d}JD", "41"),
            ("QUJD\u{1F600}QUJD", "414243"),
            ("Q\u{100}UJD", "414243"),
            ("QUJ\u{120}D", "414243"),
        ];
        for (s, want) in cases {
            assert_eq!(hex(&encode(s, Encoding::Base64)), want, "{s:?}");
            assert_eq!(hex(&encode(s, Encoding::Base64url)), want, "{s:?}");
        }
    }

    #[test]
    fn encode_text_like_node() {
        // node -e "const s='a\u00e9\u0100\u20ac\u{1F600}'; for (const e of
        //   ['latin1','ascii','utf16le','utf8']) console.log(e,
        //   Buffer.from(s, e).toString('hex'))"
        let s = "a\u{e9}\u{100}\u{20ac}\u{1F600}";
        assert_eq!(hex(&encode(s, Encoding::Latin1)), "61e900ac3d00");
        assert_eq!(hex(&encode(s, Encoding::Ascii)), "61e900ac3d00");
        assert_eq!(
            hex(&encode(s, Encoding::Utf16le)),
            "6100e9000001ac203dd800de"
        );
        assert_eq!(hex(&encode(s, Encoding::Utf8)), "61c3a9c480e282acf09f9880");
        assert_eq!(encode("plain", Encoding::Ascii), b"plain");
        assert_eq!(encode("", Encoding::Base64), b"");
    }

    #[test]
    fn decode_like_node() {
        // node -e "for (const [h, e] of [...]) { const s = Buffer.from(h,
        //   'hex').toString(e); console.log(h, e, [...Array(s.length).keys()]
        //   .map(i => s.charCodeAt(i).toString(16)).join(',')) }"
        let r = "\u{FFFD}";
        let utf8 = [
            ("80ff41", format!("{r}{r}A")),
            ("c3", r.to_owned()),
            ("c328", format!("{r}(")),
            ("e282", r.to_owned()),
            ("e28228", format!("{r}(")),
            ("f09f98", r.to_owned()),
            ("f09f9841", format!("{r}A")),
            ("eda080", r.repeat(3)),
            ("eda080eda080", r.repeat(6)),
            ("edb080", r.repeat(3)),
            ("c0af", r.repeat(2)),
            ("f4908080", r.repeat(4)),
            ("f8888080", r.repeat(4)),
            ("e08080", r.repeat(3)),
            ("f0808080", r.repeat(4)),
            ("fe", r.to_owned()),
            ("c1bf", r.repeat(2)),
            ("f09f", r.to_owned()),
            ("f09f9880f09f", format!("\u{1F600}{r}")),
        ];
        for (h, want) in utf8 {
            assert_eq!(decode(&unhex(h), Encoding::Utf8), want, "{h}");
        }
        let b = unhex("80ff417f");
        assert_eq!(decode(&b, Encoding::Ascii), "\0\u{7f}A\u{7f}");
        assert_eq!(decode(&b, Encoding::Latin1), "\u{80}\u{ff}A\u{7f}");
        // Node gives lone surrogates ("\ud800A", "\udc00", ...); we give U+FFFD.
        let utf16 = [
            ("410042", "A".to_owned()),
            ("3dd800de", "\u{1F600}".to_owned()),
            ("00d84100", format!("{r}A")),
            ("00dc", r.to_owned()),
            ("00d8", r.to_owned()),
            ("00d800d8", r.repeat(2)),
            ("00dc00d8", r.repeat(2)),
            ("00d800d800dc", format!("{r}\u{10000}")),
        ];
        for (h, want) in utf16 {
            assert_eq!(decode(&unhex(h), Encoding::Utf16le), want, "{h}");
        }
        let b64 = [
            ("", "", "", ""),
            ("00", "AA==", "AA", "00"),
            ("0001", "AAE=", "AAE", "0001"),
            ("000102", "AAEC", "AAEC", "000102"),
            ("00010203", "AAECAw==", "AAECAw", "00010203"),
            ("fbff", "+/8=", "-_8", "fbff"),
        ];
        for (h, b64, b64url, hx) in b64 {
            let bytes = unhex(h);
            assert_eq!(decode(&bytes, Encoding::Base64), b64);
            assert_eq!(decode(&bytes, Encoding::Base64url), b64url);
            assert_eq!(decode(&bytes, Encoding::Hex), hx);
        }
    }

    proptest! {
        #[test]
        fn text_roundtrips(s in any::<String>()) {
            prop_assert_eq!(decode(&encode(&s, Encoding::Utf8), Encoding::Utf8), s.clone());
            prop_assert_eq!(decode(&encode(&s, Encoding::Utf16le), Encoding::Utf16le), s.clone());
            if s.chars().all(|c| u32::from(c) < 0x100) {
                prop_assert_eq!(decode(&encode(&s, Encoding::Latin1), Encoding::Latin1), s.clone());
            }
            if s.is_ascii() {
                prop_assert_eq!(decode(&encode(&s, Encoding::Ascii), Encoding::Ascii), s.clone());
            }
        }

        #[test]
        fn bytes_roundtrip(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            for enc in [Encoding::Latin1, Encoding::Hex, Encoding::Base64, Encoding::Base64url] {
                let s = decode(&b, enc);
                prop_assert_eq!(&encode(&s, enc), &b, "{}", enc);
                prop_assert_eq!(decode(&encode(&s, enc), enc), s);
            }
            // Either base64 alphabet decodes with either encoding.
            let url = decode(&b, Encoding::Base64url);
            prop_assert_eq!(&encode(&url, Encoding::Base64), &b);
            let std = decode(&b, Encoding::Base64);
            prop_assert_eq!(&encode(&std, Encoding::Base64url), &b);
            // Uppercase hex parses too.
            prop_assert_eq!(&encode(&decode(&b, Encoding::Hex).to_uppercase(), Encoding::Hex), &b);
            let ascii: Vec<u8> = b.iter().map(|x| x & 0x7f).collect();
            prop_assert_eq!(encode(&decode(&b, Encoding::Ascii), Encoding::Ascii), ascii);
        }

        #[test]
        fn utf8_matches_std_lossy(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(decode(&b, Encoding::Utf8), String::from_utf8_lossy(&b).into_owned());
        }

        #[test]
        fn utf16_matches_std_lossy(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            let units: Vec<u16> = b.chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]])).collect();
            prop_assert_eq!(decode(&b, Encoding::Utf16le), String::from_utf16_lossy(&units));
        }
    }
}
